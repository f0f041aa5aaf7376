package dev.quotestream.pipeline;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.quotestream.quotes.FetchOutcomes;
import dev.quotestream.quotes.MarketSimulator;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.CamelEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fetch path's reliability suite (docs/reliability.md, "Fetch path"): one fetch round over symbols that are
 * each served one bad answer, through the real routes with Yahoo played by WireMock. For every case: what was
 * published (nothing, for a bad body), the dead letter and its reason; and for the round: fetches = published +
 * unchanged + dead-lettered + quarantined + breaker-open, every stored quote was published, and a hung or dripping
 * answer costs one symbol its deadline, not the round.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FetchPathReliabilityTest {

    static final long DEADLINE_MS = 3000;
    static final int DRIP_MS = 9000;

    /** One case: a symbol, what Yahoo answers, and the expected outcome (a dead-letter reason, or stored). */
    record Case(String symbol, String description, String expectedReason) {
        boolean stored() {
            return expectedReason == null;
        }

        @Override
        public String toString() {
            return symbol + ": " + description;
        }
    }

    private WireMockServer yahoo;
    private Path data;
    private LocalData at;
    private final List<Case> cases = new ArrayList<>();
    private Map<String, Long> outcomes;
    private Map<String, Map<String, Object>> deadLetters;
    private long roundMillis;
    private List<String> published;

    private String good(String symbol) {
        return new MarketSimulator("127.0.0.1", 0, 42, 30, 10, List.of(symbol), Clock.systemUTC())
                .chartJson(symbol, Instant.now());
    }

    /** A valid minute answer for {@code symbol} with one substitution applied to its JSON text. */
    private String goodWith(String symbol, String from, String to) {
        String body = good(symbol);
        assertThat(body).as("%s contains %s", symbol, from).contains(from);
        return body.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    }

    private void serve(String symbol, String description, String expectedReason, ResponseDefinitionBuilder response) {
        cases.add(new Case(symbol, description, expectedReason));
        yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/" + symbol)).willReturn(response));
    }

    private static ResponseDefinitionBuilder ok(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    @BeforeAll
    void runOneRoundOfBadAnswers(@TempDir Path dir) throws Exception {
        data = dir;
        yahoo = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        yahoo.start();
        // --- bodies that are not a chart ---
        serve("MALF", "malformed JSON", "Yahoo chart response for MALF is not JSON", ok("{\"chart\":{\"result\":[}"));
        serve("TRUNC", "truncated body", "Yahoo chart response for TRUNC is not JSON", ok(good("TRUNC").substring(0, 300)));
        serve("HTML", "HTML page with status 200", "Yahoo chart response for HTML is not JSON",
                ok("<!doctype html><html><head><title>Yahoo</title></head><body>consent</body></html>"));
        serve("EMPTYB", "empty body", "Yahoo chart response for EMPTYB is empty", ok(""));
        serve("NULLB", "the body null", "Yahoo chart response for NULLB is JSON null", ok("null"));
        serve("TWOJ", "two JSON objects in one body", "Yahoo chart response for TWOJ is not JSON",
                ok(good("TWOJ") + good("TWOJ")));
        serve("GARB", "binary garbage", "Yahoo chart response for GARB is not JSON",
                aResponse().withStatus(200).withBody(new byte[] {(byte) 0xFF, 0x00, 0x13, (byte) 0x88, 0x7F}));
        serve("CHERR", "chart.error with status 200", "Yahoo chart error for CHERR: Not Found: No data found, symbol may be delisted",
                ok("{\"chart\":{\"result\":null,\"error\":{\"code\":\"Not Found\",\"description\":\"No data found, symbol may be delisted\"}}}"));
        serve("NORES", "empty result", "Yahoo chart response for NORES has no result", ok("{\"chart\":{\"result\":[],\"error\":null}}"));
        serve("NOMETA", "missing meta", "Yahoo chart response for NOMETA has no meta",
                ok(goodWith("NOMETA", "\"meta\":", "\"notmeta\":")));
        serve("WRONG", "another symbol in meta", "Yahoo chart response for WRONG describes another symbol: OTHER",
                ok(goodWith("WRONG", "\"symbol\":\"WRONG\"", "\"symbol\":\"OTHER\"")));
        serve("NOBARS", "empty indicators", "Yahoo chart response for NOBARS has no price bars",
                ok(good("NOBARS").replaceFirst("\"timestamp\":\\[.*\\}\\]\\}\\}\\]", "\"timestamp\":[],\"indicators\":{\"quote\":[{}]}}]")));
        // --- the guard: request, time, session, range ---
        serve("GRAN", "1-day granularity", "Yahoo chart response for GRAN fails the 'request' check: dataGranularity is '1d', requested 1m",
                ok(goodWith("GRAN", "\"dataGranularity\":\"1m\"", "\"dataGranularity\":\"1d\"")));
        serve("RANGE", "a 5-day range", "Yahoo chart response for RANGE fails the 'request' check: range is '5d', requested 1d",
                ok(goodWith("RANGE", "\"range\":\"1d\"", "\"range\":\"5d\"")));
        serve("MILLIS", "market time in milliseconds", "is in milliseconds, not seconds",
                ok(good("MILLIS").replaceFirst("\"regularMarketTime\":(\\d+)", "\"regularMarketTime\":$1000")));
        serve("FUTURE", "market time in the future", "is in the future",
                ok(good("FUTURE").replaceFirst("\"regularMarketTime\":(\\d+)", "\"regularMarketTime\":4102444800")));
        serve("OLD", "market time before 2000", "is before 2000",
                ok(good("OLD").replaceFirst("\"regularMarketTime\":(\\d+)", "\"regularMarketTime\":915148800")));
        serve("STRTIME", "market time as a string", "is not a whole number of seconds",
                ok(good("STRTIME").replaceFirst("\"regularMarketTime\":(\\d+)", "\"regularMarketTime\":\"$1\"")));
        serve("BADTZ", "unknown exchange time zone", "fails the 'session' check: meta.exchangeTimezoneName 'Mars/Olympus' is not a time zone",
                ok(goodWith("BADTZ", "\"exchangeTimezoneName\":\"Etc/UTC\"", "\"exchangeTimezoneName\":\"Mars/Olympus\"")));
        serve("STALE", "bars of another day", "fails the 'session' check: none of the",
                ok(good("STALE").replaceAll("\"timestamp\":\\[(\\d+)", "\"timestamp\":[1000000000").replaceAll(",(\\d{10})", ",1000000060")));
        serve("OUTSIDE", "price outside the day's range", "fails the 'range' check: price 99999 is outside",
                ok(good("OUTSIDE").replaceFirst("\"regularMarketPrice\":[0-9.]+", "\"regularMarketPrice\":99999.0")));
        // --- numbers ---
        serve("NAN", "price NaN", "price is not finite (NaN)", ok(good("NAN").replaceFirst("\"regularMarketPrice\":[0-9.]+", "\"regularMarketPrice\":NaN")));
        serve("INF", "price Infinity", "price is not finite (Infinity)", ok(good("INF").replaceFirst("\"regularMarketPrice\":[0-9.]+", "\"regularMarketPrice\":Infinity")));
        serve("E400", "price 1e400", "price is not finite (Infinity)", ok(good("E400").replaceFirst("\"regularMarketPrice\":[0-9.]+", "\"regularMarketPrice\":1e400")));
        serve("STRPX", "price as a string", "meta.regularMarketPrice is not a number (\"",
                ok(good("STRPX").replaceFirst("\"regularMarketPrice\":([0-9.]+)", "\"regularMarketPrice\":\"$1\"")));
        serve("NOPX", "price missing", "meta.regularMarketPrice is missing",
                ok(good("NOPX").replaceFirst("\"regularMarketPrice\":[0-9.]+,", "")));
        serve("ZEROPX", "price zero", "price is not positive (0)", ok(good("ZEROPX").replaceFirst("\"regularMarketPrice\":[0-9.]+", "\"regularMarketPrice\":0")));
        serve("NEGPC", "negative previous close", "previous_close is not positive (-1)",
                ok(good("NEGPC").replaceFirst("\"previousClose\":[0-9.]+", "\"previousClose\":-1.0")));
        serve("HILO", "a bar's high below its low", "high",
                ok(good("HILO").replaceFirst("\"high\":\\[([0-9.]+)", "\"high\":[0.5")));
        serve("STRVOL", "volume as a string", "meta.regularMarketVolume is not a number (\"",
                ok(good("STRVOL").replaceFirst("\"regularMarketVolume\":(\\d+)", "\"regularMarketVolume\":\"$1\"")));
        serve("V2P64", "volume 2^64+5", "meta.regularMarketVolume 18446744073709551621 does not fit a 64-bit integer",
                ok(good("V2P64").replaceFirst("\"regularMarketVolume\":(\\d+)", "\"regularMarketVolume\":18446744073709551621")));
        serve("V1E19", "volume 1e19", "meta.regularMarketVolume 10000000000000000000 does not fit a 64-bit integer",
                ok(good("V1E19").replaceFirst("\"regularMarketVolume\":(\\d+)", "\"regularMarketVolume\":1e19")));
        serve("NEGBAR", "a negative bar volume", "bar 0 volume is negative",
                ok(good("NEGBAR").replaceFirst("\"volume\":\\[(\\d+)", "\"volume\":[-2")));
        // --- transport ---
        serve("HUGE", "a 10 MB body", "Yahoo chart response for HUGE is 10485760 bytes, over quotes.max-body-bytes (2097152)",
                ok("{\"pad\":\"" + "x".repeat(10 * 1024 * 1024 - 10) + "\"}"));
        serve("DRIP", "a body dripping for 9 s", "fetch of DRIP exceeded its deadline of 3000 ms",
                ok(good("DRIP")).withChunkedDribbleDelay(30, DRIP_MS));
        serve("HANG", "no answer for 9 s", "fetch of HANG exceeded its deadline of 3000 ms", ok(good("HANG")).withFixedDelay(DRIP_MS));
        serve("RESET", "connection reset", "SocketException", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        serve("REDIR", "a redirect loop", "HTTP 302 from", aResponse().withStatus(302)
                .withHeader("Location", "/v8/finance/chart/REDIR?interval=1m&range=1d"));
        serve("STORM", "503 on every try", "HTTP 503 from", aResponse().withStatus(503).withBody("<html><title>Service Unavailable</title></html>"));
        serve("R404", "404 unknown symbol", "HTTP 404 from", aResponse().withStatus(404)
                .withBody("{\"chart\":{\"result\":null,\"error\":{\"code\":\"Not Found\",\"description\":\"No data found, symbol may be delisted\"}}}"));
        serve("R401", "401 Invalid Crumb (finance wrapper)", "Unauthorized: Invalid Crumb", aResponse().withStatus(401)
                .withBody("{\"finance\":{\"result\":null,\"error\":{\"code\":\"Unauthorized\",\"description\":\"Invalid Crumb\"}}}"));
        // 429 with Retry-After, then the answer: stored after waiting what Yahoo asked.
        cases.add(new Case("R429", "429 with Retry-After: 1, then the answer", null));
        yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/R429")).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("Too Many Requests"))
                .willSetStateTo("ok"));
        yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/R429")).inScenario("429").whenScenarioStateIs("ok")
                .willReturn(ok(good("R429"))));
        serve("GOOD", "a good answer after the hung ones", null, ok(good("GOOD")));

        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.base-url", yahoo.baseUrl());
        p.put("quotes.symbols", cases.stream().map(Case::symbol).collect(Collectors.joining(",")));
        p.put("quotes.fetch-period-ms", "3600000"); // one round
        p.put("quotes.initial-delay-ms", "1000");
        p.put("quotes.fetch-deadline-ms", String.valueOf(DEADLINE_MS));
        p.put("quotes.breaker.window-calls", "1000"); // QuarantineTest and YahooPathTest cover the breaker
        p.put("report.schedule-enabled", "false");
        try (PipelineRunner app = PipelineRunner.start(p)) {
            ExchangeCounter rounds = ExchangeCounter.of(app.context(), e -> e instanceof CamelEvent.ExchangeCompletedEvent c
                    && "quote-fetch".equals(c.getExchange().getFromRouteId())
                    && c.getExchange().getProperty(ExchangePropertyKey.SPLIT_INDEX) == null);
            ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            long[] created = new long[1];
            ExchangeCounter.of(app.context(), e -> {
                if (e instanceof CamelEvent.ExchangeCreatedEvent c && "quote-fetch".equals(c.getExchange().getFromRouteId())
                        && created[0] == 0) {
                    created[0] = System.nanoTime();
                }
                return false;
            });
            assertThat(rounds.await(1, Duration.ofSeconds(90))).as("one fetch round").isTrue();
            roundMillis = (System.nanoTime() - created[0]) / 1_000_000;
            assertThat(stored.await(2, Duration.ofSeconds(30))).isTrue();
            outcomes = app.context().getRegistry().lookupByNameAndType("fetchOutcomes", FetchOutcomes.class).snapshot();
        }
        at = new LocalData(data);
        deadLetters = at.deadLetters("quote-fetch").stream()
                .collect(Collectors.toMap(d -> (String) d.get("symbol"), Function.identity()));
        published = at.query("SELECT symbol FROM quotes ORDER BY symbol").stream().map(r -> (String) r.get("symbol")).toList();
    }

    @AfterAll
    void stopYahoo() {
        yahoo.stop();
    }

    List<Case> cases() {
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachBadAnswerIsDeadLetteredWithItsReasonAndNothingIsPublished(Case c) {
        if (c.stored()) {
            assertThat(published).contains(c.symbol());
            assertThat(deadLetters).doesNotContainKey(c.symbol());
            return;
        }
        assertThat(published).as("nothing published for %s", c).doesNotContain(c.symbol());
        assertThat(deadLetters).as("a dead letter for %s", c).containsKey(c.symbol());
        assertThat((String) deadLetters.get(c.symbol()).get("reason")).as(c.toString()).contains(c.expectedReason());
    }

    @Test
    void atLeastThirtyDistinctBadInputs() {
        assertThat(cases.stream().filter(c -> !c.stored()).map(Case::description).distinct()).hasSizeGreaterThanOrEqualTo(30);
    }

    @Test
    void fetchesArePublishedPlusUnchangedPlusDeadLetteredPlusQuarantined() {
        assertThat(outcomes.get("fetches")).isEqualTo(cases.size());
        assertThat(outcomes.get("published") + outcomes.get("unchanged") + outcomes.get("dead_lettered")
                + outcomes.get("quarantined") + outcomes.get("breaker_open")).isEqualTo(cases.size());
        assertThat(outcomes.get("published")).isEqualTo(published.size()).isEqualTo(2);
        assertThat(outcomes.get("dead_lettered")).isEqualTo(deadLetters.size()).isEqualTo(cases.size() - 2);
    }

    @Test
    void aHungOrDrippingAnswerCostsOneDeadlineNotTheRound() {
        // Without the deadline the round would wait 9 s for DRIP and HANG; with it, each gives up after 3 s.
        assertThat(roundMillis).as("the round's duration").isLessThan(DRIP_MS - 1000);
        assertThat(deadLetters.get("DRIP").get("reason")).isEqualTo("FetchDeadlineExceeded: fetch of DRIP exceeded its "
                + "deadline of 3000 ms (quotes.fetch-deadline-ms): no complete answer in time");
        assertThat(published).contains("GOOD");
    }

    @Test
    void transientFailuresAreRetriedAndClientErrorsAreNot() {
        assertThat(count("STORM")).isEqualTo(1 + 3);
        assertThat(count("RESET")).isEqualTo(1 + 3);
        assertThat(count("R404")).isEqualTo(1);
        assertThat(count("R401")).isEqualTo(1);
        assertThat(count("HUGE")).as("an oversized body is not fetched again").isEqualTo(1);
        assertThat(deadLetters.get("STORM").get("http_status")).isEqualTo(503);
        assertThat((String) deadLetters.get("STORM").get("reason")).endsWith(": Service Unavailable");
    }

    @Test
    void retryAfterIsHonoured() {
        List<ServeEvent> calls = yahoo.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/v8/finance/chart/R429"))
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
        assertThat(calls).hasSize(2);
        long waitedMs = calls.get(1).getRequest().getLoggedDate().getTime() - calls.get(0).getRequest().getLoggedDate().getTime();
        assertThat(waitedMs).as("the retry waited Retry-After (1 s), not the 10 ms backoff").isGreaterThanOrEqualTo(950);
    }

    @Test
    void anOversizedBodyIsDeadLetteredCappedWithItsSizeAndHash() {
        // One dead-letter shape everywhere (issue 9): the first 64 KiB as text, the size and the SHA-256.
        Map<String, Object> letter = deadLetters.get("HUGE");
        assertThat(((String) letter.get("input")).length()).isLessThanOrEqualTo(64 * 1024);
        assertThat(letter).containsEntry("input_bytes", 10485760).containsEntry("input_truncated", true);
        assertThat((String) letter.get("input_sha256")).hasSize(64);
    }

    private int count(String symbol) {
        return yahoo.countRequestsMatching(getRequestedFor(urlPathEqualTo("/v8/finance/chart/" + symbol)).build()).getCount();
    }
}
