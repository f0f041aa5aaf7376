package dev.quotestream.pipeline;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.spi.CamelEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** The fetch route against Yahoo played by WireMock: the real capture, a 429 burst, a slow answer, an outage. */
class YahooPathTest {

    private WireMockServer yahoo;

    @BeforeEach
    void startYahoo() {
        yahoo = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        yahoo.start();
    }

    @AfterEach
    void stopYahoo() {
        yahoo.stop();
    }

    private static String resource(String name, String symbol) throws IOException {
        try (InputStream in = YahooPathTest.class.getResourceAsStream("/yahoo/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"MSFT\"", "\"" + symbol + "\"");
        }
    }

    private Map<String, String> properties(Path data, String symbols) throws IOException {
        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.base-url", yahoo.baseUrl());
        p.put("quotes.symbols", symbols);
        p.put("quotes.initial-delay-ms", "300");
        p.put("report.schedule-enabled", "false");
        return p;
    }

    @Test
    void theCapturedDailyAnswerIsRefusedWhileA429BurstAndASlowAnswerAreStored(@TempDir Path data) throws Exception {
        yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/AAPL")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(dev.quotestream.quotes.YahooChartParserTest.capturedYahooBody())));
        // Two "Too Many Requests", then the answer: retried with backoff, not dead-lettered.
        yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/BURST")).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withBody("Too Many Requests")).willSetStateTo("again"));
        yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/BURST")).inScenario("429").whenScenarioStateIs("again")
                .willReturn(aResponse().withStatus(429).withBody("Too Many Requests")).willSetStateTo("ok"));
        yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/BURST")).inScenario("429").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(resource("chart-MSFT-1m-with-nulls.json", "BURST"))));
        // Slow, but within the per-request timeout.
        yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/LAZY")).willReturn(aResponse().withStatus(200)
                .withFixedDelay(700).withBody(resource("chart-MSFT-1m-with-nulls.json", "LAZY"))));
        Map<String, String> p = properties(data, "AAPL,BURST,LAZY");
        p.put("quotes.fetch-period-ms", "3600000");
        p.put("camel.component.http.response-timeout", "2000");
        p.put("camel.component.http.so-timeout", "2000");
        try (PipelineRunner app = PipelineRunner.start(p)) {
            ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            ExchangeCounter deadLettered = ExchangeCounter.deadLettered(app.context());
            assertThat(stored.await(2, Duration.ofSeconds(30))).isTrue();
            assertThat(deadLettered.await(1, Duration.ofSeconds(30))).isTrue();
        }
        LocalData at = new LocalData(data);
        // The capture is an interval=1d answer (bars of 2020 under a meta of 2026): it used to be stored as
        // AAPL open 74.06 / high 75.15 / low 73.7975 / price 333.69. The response guard rejects it now.
        assertThat(at.deadLetters("quote-fetch")).singleElement().satisfies(d -> {
            assertThat(d.get("symbol")).isEqualTo("AAPL");
            assertThat(d.get("reason")).isEqualTo("Yahoo chart response for AAPL fails the 'request' check: "
                    + "dataGranularity is '1d', requested 1m");
        });
        assertThat(at.query("SELECT symbol, timestamp, open, high, low, price, volume, previous_close FROM quotes ORDER BY symbol"))
                .containsExactly(
                        Map.of("symbol", "BURST", "timestamp", "2025-11-25T14:30:00Z", "open", 419.2, "high", 422.75,
                                "low", 418.9, "price", 421.37, "volume", 250000, "previous_close", 418.5),
                        Map.of("symbol", "LAZY", "timestamp", "2025-11-25T14:30:00Z", "open", 419.2, "high", 422.75,
                                "low", 418.9, "price", 421.37, "volume", 250000, "previous_close", 418.5));
        yahoo.verify(3, getRequestedFor(urlPathEqualTo("/v8/finance/chart/BURST")));
        // Browser-like User-Agent, and the chart query yfinance uses.
        yahoo.verify(getRequestedFor(urlPathEqualTo("/v8/finance/chart/AAPL"))
                .withHeader("User-Agent", matching("Mozilla/5\\.0 .*"))
                .withQueryParam("interval", matching("1m")).withQueryParam("range", matching("1d")));
    }

    @Test
    void anOutageOpensTheCircuitBreakerInsteadOfATightLoop(@TempDir Path data) throws Exception {
        yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/DOWN")).willReturn(aResponse().withStatus(503)));
        Map<String, String> p = properties(data, "DOWN");
        p.put("quotes.fetch-period-ms", "200");
        p.put("quotes.breaker.window-calls", "4");
        p.put("quotes.max-retries", "3");
        CircuitBreaker breaker;
        try (PipelineRunner app = PipelineRunner.start(p)) {
            ExchangeCounter rounds = ExchangeCounter.of(app.context(), e -> e instanceof CamelEvent.ExchangeCompletedEvent c
                    && "quote-fetch".equals(c.getExchange().getFromRouteId())
                    && c.getExchange().getProperty(org.apache.camel.ExchangePropertyKey.SPLIT_INDEX) == null);
            assertThat(rounds.await(8, Duration.ofSeconds(60))).as("eight fetch rounds").isTrue();
            breaker = app.context().getRegistry().lookupByNameAndType("yahooCircuitBreaker", CircuitBreaker.class);
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        }
        // Each round is one breaker call of 1 + 3 retried requests; 4 failed rounds filled the window and
        // opened the breaker, and the later rounds made no request at all.
        yahoo.verify(16, getRequestedFor(urlPathEqualTo("/v8/finance/chart/DOWN")));
        List<Map<String, Object>> dead = new LocalData(data).deadLetters("quote-fetch");
        assertThat(dead).hasSize(4);
        assertThat(dead.get(0).get("http_status")).isEqualTo(503);
    }
}
