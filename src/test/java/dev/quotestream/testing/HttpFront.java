package dev.quotestream.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

/**
 * A test's own WireMock in front of one loopback server ({@link LoopbackAws#httpFront}): it passes every request
 * through, unless a stub the test adds answers first (throttling, 5xx). {@link #server()} gives the stubs and
 * the request journal.
 */
public final class HttpFront implements AutoCloseable {

    /** The pass-through stub's priority: any stub at a smaller number (the default is 5) is tried first. */
    public static final int PASS_THROUGH_PRIORITY = 10;

    private final WireMockServer server;

    HttpFront(String target) {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(any(anyUrl()).atPriority(PASS_THROUGH_PRIORITY).willReturn(aResponse().proxiedFrom(target)));
    }

    public WireMockServer server() {
        return server;
    }

    /** The endpoint to give the clients under test. */
    public String endpoint() {
        return server.baseUrl();
    }

    @Override
    public void close() {
        server.stop();
    }
}
