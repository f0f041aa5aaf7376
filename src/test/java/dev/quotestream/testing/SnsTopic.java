package dev.quotestream.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPattern;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * One test's SNS topic on the shared SNS server ({@link LoopbackAws#topic}): its stubs answer only requests
 * naming this topic, and its journal lists only those, so tests sharing the server do not see each other.
 * Closing it removes its stubs; the server then answers this topic as documented again.
 */
public final class SnsTopic implements AutoCloseable {

    /** Priority of the server's documented answers for any topic: a topic's stubs (default 5) win. */
    static final int DEFAULT_PRIORITY = 10;

    private final WireMockServer server;
    private final String arn;
    private final List<StubMapping> stubs = new CopyOnWriteArrayList<>();

    SnsTopic(WireMockServer server, String arn) {
        this.server = server;
        this.arn = arn;
    }

    public String arn() {
        return arn;
    }

    /** A Publish request (Query protocol, form-encoded), to build a stub: {@code topic.stub(SnsTopic.publish().willReturn(...))}. */
    public static MappingBuilder publish() {
        return post(urlEqualTo("/")).withFormParam("Action", equalTo("Publish"));
    }

    /** CreateTopic of this topic's name answers this topic's ARN (its account), as SNS does for an existing topic. */
    public StubMapping stubCreateTopic() {
        String name = arn.substring(arn.lastIndexOf(':') + 1);
        StubMapping added = server.stubFor(post(urlEqualTo("/")).withFormParam("Action", equalTo("CreateTopic"))
                .withFormParam("Name", equalTo(name))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/xml")
                        .withBody("<CreateTopicResponse xmlns=\"https://sns.amazonaws.com/doc/2010-03-31/\"><CreateTopicResult>"
                                + "<TopicArn>" + arn + "</TopicArn></CreateTopicResult><ResponseMetadata>"
                                + "<RequestId>a8dec8b3-33a4-11df-8963-01868b7c937b</RequestId></ResponseMetadata>"
                                + "</CreateTopicResponse>")));
        stubs.add(added);
        return added;
    }

    /** Adds the stub, narrowed to this topic's requests; {@link #close()} removes it. */
    public StubMapping stub(MappingBuilder mapping) {
        StubMapping added = server.stubFor(mapping.withFormParam("TopicArn", equalTo(arn)));
        stubs.add(added);
        return added;
    }

    /** A scenario name of this topic's own: WireMock's scenarios are server-wide. */
    public String scenario(String name) {
        return arn + "#" + name;
    }

    /** This topic's Publish requests, oldest first. */
    public List<LoggedRequest> publishes() {
        return server.findAll(publishesOfThisTopic());
    }

    /** This topic's Publish requests with the responses they got, oldest first. */
    public List<ServeEvent> publishEvents() {
        RequestPattern pattern = publishesOfThisTopic().build();
        List<ServeEvent> events = new ArrayList<>();
        for (ServeEvent event : server.getAllServeEvents()) {
            if (pattern.match(event.getRequest()).isExactMatch()) {
                events.add(event);
            }
        }
        Collections.reverse(events); // WireMock lists the newest first
        return events;
    }

    /** Forgets this topic's requests (other topics' stay). */
    public void resetRequests() {
        server.removeServeEventsMatching(publishesOfThisTopic().build());
    }

    private RequestPatternBuilder publishesOfThisTopic() {
        return postRequestedFor(urlEqualTo("/")).withFormParam("Action", equalTo("Publish"))
                .withFormParam("TopicArn", equalTo(arn));
    }

    @Override
    public void close() {
        stubs.forEach(server::removeStub);
        stubs.clear();
    }
}
