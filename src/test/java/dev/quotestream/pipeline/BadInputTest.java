package dev.quotestream.pipeline;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bad-input case of the fetch and process routes, through the real routes, with Yahoo played by
 * WireMock: one clear dead letter each, nothing lost, and the pipeline keeps running.
 * One fetch round covers all cases: each symbol is served a different bad response.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    private WireMockServer yahoo;
    private Path data;
    private LocalData at;
    private int fetches;
    private int published;

    private static String fixture(String name, String symbol) throws IOException {
        try (InputStream in = BadInputTest.class.getResourceAsStream("/yahoo/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"MSFT\"", "\"" + symbol + "\"");
        }
    }

    private void serve(String symbol, int status, String body, int delayMs) {
        yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/" + symbol))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                        .withBody(body).withFixedDelay(delayMs)));
    }

    @BeforeAll
    void runOneFetchRoundAgainstBadYahooResponses(@TempDir Path dataDir) throws Exception {
        data = dataDir;
        yahoo = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        yahoo.start();
        serve("GOOD", 200, fixture("chart-MSFT-1m-with-nulls.json", "GOOD"), 0);  // nulls inside arrays: fine
        serve("TRUNC", 200, fixture("chart-MSFT-truncated.json", "TRUNC"), 0);
        serve("GONE", 404, fixture("error-404-not-found.json", "GONE"), 0);
        serve("EMPTY", 200, fixture("chart-MSFT-empty-arrays.json", "EMPTY"), 0);
        serve("NULLS", 200, fixture("chart-MSFT-all-null.json", "NULLS"), 0);
        serve("NAN", 200, fixture("chart-MSFT-nan-price.json", "NAN"), 0);
        serve("ZERO", 200, fixture("chart-MSFT-zero-price.json", "ZERO"), 0);
        serve("NEG", 200, fixture("chart-MSFT-negative-price.json", "NEG"), 0);
        serve("DOWN", 503, "<html>Service Unavailable</html>", 0);
        serve("SLOW", 200, fixture("chart-MSFT-1m-with-nulls.json", "SLOW"), 3000);
        List<String> symbols = List.of("GOOD", "TRUNC", "GONE", "EMPTY", "NULLS", "NAN", "ZERO", "NEG", "DOWN", "SLOW");
        fetches = symbols.size();

        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.base-url", yahoo.baseUrl());
        p.put("quotes.symbols", String.join(",", symbols));
        p.put("quotes.fetch-period-ms", "3600000"); // one round
        p.put("quotes.initial-delay-ms", "500");
        // SLOW (3 s) must time out; the others must not, even when the machine is loaded (10 requests at once).
        p.put("camel.component.http.response-timeout", "1500");
        p.put("camel.component.http.so-timeout", "1500");
        p.put("quotes.breaker.window-calls", "100"); // YahooPathTest covers the breaker
        try (PipelineRunner app = PipelineRunner.start(p)) {
            ExchangeCounter deadLettered = ExchangeCounter.deadLettered(app.context());
            ExchangeCounter processed = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            var producer = app.context().createProducerTemplate();
            String stream = app.context().resolvePropertyPlaceholders("{{stream.uri}}");
            // Bad records straight on the stream: the process route's own cases.
            producer.sendBody(stream, "{\"symbol\":\"BAD\",\"timestamp\":");
            producer.sendBody(stream, "{\"symbol\":\"BAD\",\"timestamp\":\"2026-11-25T15:00:00Z\",\"open\":1,"
                    + "\"high\":1,\"low\":1,\"price\":-1,\"volume\":5,\"previous_close\":1,\"currency\":\"USD\","
                    + "\"exchange_timezone\":\"America/New_York\"}");
            assertThat(deadLettered.await(11, Duration.ofSeconds(30))).as("11 dead letters").isTrue();
            assertThat(processed.await(1, Duration.ofSeconds(30))).isTrue();
            published = 1; // GOOD
        }
        at = new LocalData(data);
    }

    @AfterAll
    void stopYahoo() {
        yahoo.stop();
    }

    private Map<String, Map<String, Object>> fetchDeadLetters() {
        return at.deadLetters("quote-fetch").stream()
                .collect(Collectors.toMap(d -> (String) d.get("symbol"), Function.identity()));
    }

    @Test
    void everyFetchIsPublishedOrDeadLettered() {
        assertThat(fetchDeadLetters()).hasSize(fetches - published);
        assertThat(at.query("SELECT symbol FROM quotes WHERE symbol <> 'BAD'")).hasSize(published);
    }

    @Test
    void nullsInsideTheArraysAreSkippedNotRejected() {
        assertThat(at.query("SELECT symbol, open, high, low, price, volume, previous_close FROM quotes"))
                .containsExactly(Map.of("symbol", "GOOD", "open", 419.2, "high", 422.75, "low", 418.9,
                        "price", 421.37, "volume", 250000, "previous_close", 418.5));
    }

    @Test
    void malformedOrPartialResponse() throws IOException {
        Map<String, Object> d = fetchDeadLetters().get("TRUNC");
        assertThat((String) d.get("reason")).startsWith("Yahoo chart response for TRUNC is not JSON");
        assertThat(d.get("input")).isEqualTo(fixture("chart-MSFT-truncated.json", "TRUNC")); // kept as received
    }

    @Test
    void yahooErrorBody404() throws IOException {
        Map<String, Object> d = fetchDeadLetters().get("GONE");
        assertThat(d.get("http_status")).isEqualTo(404);
        assertThat((String) d.get("reason")).contains("HTTP 404").endsWith("Not Found: No data found, symbol may be delisted");
        assertThat(d.get("input")).isEqualTo(fixture("error-404-not-found.json", "GONE"));
        yahoo.verify(1, getRequestedFor(urlPathEqualTo("/v8/finance/chart/GONE"))); // 4xx is not retried
    }

    @Test
    void emptyOrAllNullArrays() {
        assertThat(fetchDeadLetters().get("EMPTY").get("reason"))
                .isEqualTo("Yahoo chart response for EMPTY has no price bars (empty or all-null indicators)");
        assertThat(fetchDeadLetters().get("NULLS").get("reason"))
                .isEqualTo("Yahoo chart response for NULLS has no price bars (empty or all-null indicators)");
    }

    @Test
    void nanZeroAndNegativePrices() {
        assertThat((String) fetchDeadLetters().get("NAN").get("reason")).endsWith("price is not finite (NaN)");
        assertThat((String) fetchDeadLetters().get("ZERO").get("reason")).endsWith("price is not positive (0)");
        assertThat((String) fetchDeadLetters().get("NEG").get("reason")).endsWith("price is not positive (-2.5)");
    }

    @Test
    void serverErrorsAreRetriedWithBackoffThenDeadLettered() {
        Map<String, Object> d = fetchDeadLetters().get("DOWN");
        assertThat(d.get("http_status")).isEqualTo(503);
        assertThat(d.get("input")).isEqualTo("<html>Service Unavailable</html>");
        yahoo.verify(1 + 3, getRequestedFor(urlPathEqualTo("/v8/finance/chart/DOWN")));
    }

    @Test
    void timeoutsAreRetriedThenDeadLettered() {
        Map<String, Object> d = fetchDeadLetters().get("SLOW");
        assertThat((String) d.get("reason")).contains("SocketTimeoutException").contains("Read timed out");
        yahoo.verify(1 + 3, getRequestedFor(urlPathEqualTo("/v8/finance/chart/SLOW")));
    }

    @Test
    void badStreamRecordsAreDeadLetteredByTheProcessRoute() {
        List<Map<String, Object>> d = at.deadLetters("quote-process");
        assertThat(d).extracting(m -> (String) m.get("reason")).anySatisfy(r -> assertThat(r).contains("JsonEOFException"))
                .anySatisfy(r -> assertThat(r).isEqualTo("invalid quote BAD at 2026-11-25T15:00:00Z: price is not positive (-1)"));
        assertThat(d).extracting(m -> (String) m.get("input")).contains("{\"symbol\":\"BAD\",\"timestamp\":");
        // In = stored + dead-lettered, at the process stage: 3 records in, 1 stored, 2 dead-lettered.
        assertThat(at.query("SELECT * FROM quotes")).hasSize(1);
        assertThat(d).hasSize(2);
    }
}
