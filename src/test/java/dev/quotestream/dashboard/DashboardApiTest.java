package dev.quotestream.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quotestream.pipeline.ExchangeCounter;
import dev.quotestream.pipeline.PipelineRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON API in the local profile, on known quotes put on the stream (fetching off): the happy path read
 * back from the table and the alert log, strict validation (400 with a JSON error, never a stack trace),
 * read-only, nothing served beyond the page's own files, and the counters on /api/status and /observe/metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardApiTest {

    private Path data;
    private PipelineRunner app;
    private Http http;
    private final Instant start = KnownQuotes.start();
    private List<Map<String, Object>> records;

    @BeforeAll
    void startWithKnownQuotes() throws Exception {
        data = Files.createTempDirectory("dashboard-api");
        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.symbols", String.join(",", KnownQuotes.SYMBOLS));
        p.put("pipeline.fetch-in-camel", "false");
        p.put("dashboard.port", "0");
        app = PipelineRunner.start(p);
        http = new Http(app.context());
        ExchangeCounter logged = ExchangeCounter.sentTo(app.context(), "{{alerts.log-uri}}");
        records = KnownQuotes.records(start);
        KnownQuotes.publishAndAwait(app.context(), records);
        assertThat(logged.await(2, Duration.ofSeconds(30))).as("two alerts logged").isTrue();
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    private String range() {
        return "?from=" + start + "&to=" + start.plus(10, ChronoUnit.MINUTES);
    }

    @Test
    void symbolsListsTheConfiguredSymbolsWithTheirNewestQuote() throws Exception {
        Http.Answer a = http.get("/api/symbols");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        JsonNode symbols = a.json().get("symbols");
        assertThat(symbols).hasSize(2);
        assertThat(symbols.get(0).get("symbol").asText()).isEqualTo("AAPL");
        JsonNode msft = symbols.get(1).get("last");
        assertThat(msft.get("timestamp").asText()).isEqualTo(start.plus(4, ChronoUnit.MINUTES).toString());
        assertThat(msft.get("price").decimalValue()).isEqualByComparingTo("220.5");
        assertThat(msft.get("change_percent").decimalValue()).isEqualByComparingTo("10.25");
        assertThat(msft.get("anomaly").asBoolean()).isTrue();
    }

    @Test
    void quotesReturnsTheStoredRecordsInOrderWithTheirMetrics() throws Exception {
        Http.Answer a = http.get("/api/quotes/MSFT" + range());
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode body = a.json();
        assertThat(body.get("count").asInt()).isEqualTo(5);
        assertThat(body.get("next_from").isNull()).isTrue();
        List<String> times = new ArrayList<>();
        body.get("quotes").forEach(q -> times.add(q.get("timestamp").asText()));
        assertThat(times).containsExactly(records.stream().filter(r -> r.get("symbol").equals("MSFT"))
                .map(r -> (String) r.get("timestamp")).toArray(String[]::new));
        JsonNode second = body.get("quotes").get(1);
        // The contract's attributes in contract order, computed from the record independently here.
        List<String> names = new ArrayList<>();
        second.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("symbol", "timestamp", "open", "high", "low", "price", "volume",
                "previous_close", "change", "change_percent", "moving_avg", "anomaly", "currency", "exchange_timezone");
        assertThat(second.get("price").decimalValue()).isEqualByComparingTo("185");
        assertThat(second.get("change").decimalValue()).isEqualByComparingTo("-15");
        assertThat(second.get("change_percent").decimalValue()).isEqualByComparingTo("-7.5");
        // (open 200 + high 201 + low 184 + price 185) / 4
        assertThat(second.get("moving_avg").decimalValue()).isEqualByComparingTo(new BigDecimal("192.5"));
        assertThat(second.get("volume").asLong()).isEqualTo(2_000_000_001L);
        assertThat(second.get("anomaly").isBoolean()).isTrue();
    }

    @Test
    void quotesArePagedWithNextFrom() throws Exception {
        Http.Answer first = http.get("/api/quotes/AAPL" + range() + "&limit=2");
        assertThat(first.json().get("count").asInt()).isEqualTo(2);
        String next = first.json().get("next_from").asText();
        assertThat(next).isEqualTo(start.plus(1, ChronoUnit.MINUTES).plusSeconds(1).toString());
        Http.Answer second = http.get("/api/quotes/AAPL?from=" + next + "&to=" + start.plus(10, ChronoUnit.MINUTES) + "&limit=2");
        assertThat(second.json().get("quotes").get(0).get("timestamp").asText())
                .isEqualTo(start.plus(2, ChronoUnit.MINUTES).toString());
        // An offset time is the same instant.
        Http.Answer offset = http.get("/api/quotes/AAPL?from=" + start.atOffset(java.time.ZoneOffset.ofHours(-5))
                .toString().replace("-05:00", "-05:00") + "&to=" + start.plus(10, ChronoUnit.MINUTES) + "&limit=1");
        assertThat(offset.status()).as(offset.body()).isEqualTo(200);
        assertThat(offset.json().get("quotes").get(0).get("timestamp").asText()).isEqualTo(start.toString());
    }

    @Test
    void alertsAreTheCrossingsNewestFirst() throws Exception {
        Http.Answer a = http.get("/api/alerts?since=" + start);
        assertThat(a.status()).isEqualTo(200);
        JsonNode alerts = a.json().get("alerts");
        assertThat(alerts).hasSize(2);
        Instant second = start.plus(4, ChronoUnit.MINUTES);
        Instant first = start.plus(1, ChronoUnit.MINUTES);
        assertThat(alerts.get(0).get("timestamp").asText()).isEqualTo(second.toString());
        assertThat(alerts.get(0).get("severity").asText()).isEqualTo("critical");
        assertThat(alerts.get(0).get("direction").asText()).isEqualTo("up");
        boolean sameDay = first.toString().substring(0, 10).equals(second.toString().substring(0, 10));
        assertThat(alerts.get(0).get("crossing").asInt()).isEqualTo(sameDay ? 2 : 1);
        assertThat(alerts.get(1).get("symbol").asText()).isEqualTo("MSFT");
        assertThat(alerts.get(1).get("change_percent").decimalValue()).isEqualByComparingTo("-7.5");
        assertThat(alerts.get(1).get("message").asText()).startsWith("MSFT moved down 7.5");
        // since after the first crossing: only the second
        assertThat(http.get("/api/alerts?since=" + first.plusSeconds(1)).json().get("count").asInt()).isEqualTo(1);
        assertThat(http.get("/api/alerts?since=" + start + "&limit=1").json().get("alerts")).hasSize(1);
    }

    @Test
    void statusCountsRecordsInStoredDeadLetteredAndAlerts() throws Exception {
        // One undecodable record: dead-lettered at quote-process.
        ExchangeCounter dead = ExchangeCounter.deadLettered(app.context());
        app.context().createProducerTemplate().sendBodyAndHeader(
                app.context().resolvePropertyPlaceholders("{{stream.uri}}"), "{not json", "CamelAwsKinesisPartitionKey", "AAPL");
        assertThat(dead.await(1, Duration.ofSeconds(30))).isTrue();
        JsonNode s = http.get("/api/status").json();
        assertThat(s.get("profile").asText()).isEqualTo("local");
        assertThat(s.get("health").asText()).isEqualTo("UP");
        JsonNode c = s.get("counters");
        assertThat(c.get("records_in").asLong()).isEqualTo(records.size() + 1);
        assertThat(c.get("stored").asLong()).isEqualTo(records.size());
        assertThat(c.get("dead_lettered").asLong()).isEqualTo(1);
        assertThat(c.get("records_in").asLong()).isEqualTo(c.get("stored").asLong() + c.get("dead_lettered").asLong());
        assertThat(c.get("alerts").asLong()).isEqualTo(2);
        assertThat(s.get("dead_letters_today").asLong()).isEqualTo(1); // the file at rest
        assertThat(s.get("stream").get("lag_ms").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(s.get("breaker").get("state").asText()).isEqualTo("CLOSED");
        assertThat(s.get("sinks").findValuesAsText("state")).containsOnly("ok");
        assertThat(s.get("quarantined")).isEmpty();
        // Metrics: the same figures, in Prometheus' text format.
        String metrics = http.get("/observe/metrics").body();
        assertThat(metrics).contains("quotes_records_in_total " + (records.size() + 1) + ".0")
                .contains("quotes_stored_total " + records.size() + ".0")
                .contains("quotes_alerts_total 2.0")
                .contains("quotes_dead_lettered_total{stage=\"quote-process\"} 1.0")
                .contains("quotes_breaker_state{state=\"CLOSED\"} 1.0")
                .contains("quotes_stream_lag_seconds")
                .contains("quotes_fetch_latency_seconds")
                .contains("quotes_sink_failing_seconds{route=\"table-sink\"} 0.0");
        Http.Answer health = http.get("/observe/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
    }

    /** Each bad request: 400, a JSON error naming the problem, no stack trace, no echo of markup. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown symbol                 | /api/quotes/ZZZZ                                         | unknown symbol
            lower-case symbol              | /api/quotes/aapl                                         | upper-case ticker
            symbol too long                | /api/quotes/ABCDEFGHIJKLMNOPQRSTUVWXYZ                   | upper-case ticker
            SQL injection in the symbol    | /api/quotes/AAPL'%20OR%20'1'='1                          | upper-case ticker
            markup in the symbol           | /api/quotes/%3Cscript%3Ealert(1)%3C%2Fscript%3E          | upper-case ticker
            path traversal                 | /api/quotes/..%2F..%2Fetc%2Fpasswd                       | upper-case ticker
            placeholder in the symbol      | /api/quotes/%7B%7Benv:PATH%7D%7D                         | upper-case ticker
            bad date                       | /api/quotes/AAPL?from=2026-13-45T00:00:00Z               | ISO-8601
            date without time              | /api/quotes/AAPL?from=2026-11-25                         | ISO-8601
            time without zone              | /api/quotes/AAPL?from=2026-11-25T14:00:00                | ISO-8601
            SQL injection in a date        | /api/quotes/AAPL?from=2026-11-25T00:00:00Z'%20OR%201=1-- | ISO-8601
            huge range                     | /api/quotes/AAPL?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z | longer than
            from after to                  | /api/quotes/AAPL?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z | after
            year 58871                     | /api/quotes/AAPL?from=%2B58871-02-01T00:00:00Z           | between
            page size zero                 | /api/quotes/AAPL?limit=0                                 | from 1 to
            page size too large            | /api/quotes/AAPL?limit=100000                            | from 1 to
            page size not a number         | /api/quotes/AAPL?limit=ten                               | whole number
            unknown parameter              | /api/quotes/AAPL?symbol=MSFT                             | unknown parameter
            parameter twice                | /api/quotes/AAPL?limit=1&limit=2                         | more than once
            alerts since a bad date        | /api/alerts?since=yesterday                              | ISO-8601
            alerts since too long ago      | /api/alerts?since=2000-01-01T00:00:00Z                   | between
            alerts limit too large         | /api/alerts?limit=501                                    | from 1 to
            parameters on /api/symbols     | /api/symbols?x=1                                         | no parameters
            parameters on /api/status      | /api/status?verbose=true                                 | no parameters
            """)
    void badInputIsA400WithAJsonError(String what, String request, String expected) throws Exception {
        Http.Answer a = http.get(request);
        assertThat(a.status()).as(what + ": " + a.body()).isEqualTo(400);
        assertThat(a.header("Content-Type")).startsWith("application/json");
        JsonNode body = a.json();
        assertThat(body.get("error").asText()).isEqualTo("bad_request");
        assertThat(body.get("message").asText()).contains(expected);
        assertThat(a.body()).doesNotContain("Exception", "\tat ", "<script", "PATH=", System.getenv("PATH"));
    }

    /** A request line the HTTP server cannot parse is refused by Vert.x itself, before any route: still a 400. */
    @Test
    void brokenPercentEncodingIsA400() throws Exception {
        Http.RawAnswer a = http.raw("/api/quotes/AAPL?from=%E0%A4%A");
        assertThat(a.status()).as(a.head() + a.body()).isEqualTo(400);
        assertThat(a.body()).isEqualTo("Bad Request");
    }

    @Test
    void theServerIsReadOnlyAndServesOnlyThePagesOwnFiles() throws Exception {
        Http.Answer page = http.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(http.get("/assets/uPlot.iife.min.js").status()).isEqualTo(200);
        // Camel's static handler would serve these from the working directory and the classpath.
        for (String path : List.of("/pom.xml", "/application-aws.properties", "/application.properties",
                "/dashboard/index.html", "/assets/..%2F..%2Fpom.xml", "/assets/application.properties",
                "/log4j2.properties", "/observe/info", "/q/dev", "/observe/jolokia")) {
            assertThat(http.get(path).status()).as(path).isEqualTo(404);
        }
        for (String method : List.of("POST", "PUT", "DELETE")) {
            Http.Answer a = http.send(HttpRequest.newBuilder(URI.create(http.base + "/api/symbols"))
                    .method(method, HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(a.status()).as(method).isEqualTo(405);
        }
        // Request headers are not echoed back.
        Http.Answer echoed = http.send(HttpRequest.newBuilder(URI.create(http.base + "/api/status"))
                .header("X-Probe", "<b>probe</b>"));
        assertThat(echoed.raw().headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Probe"));
    }
}
