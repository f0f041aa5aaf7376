package dev.quotestream.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.quotestream.core.metrics.Quote;
import dev.quotestream.quotes.Captures;
import dev.quotestream.quotes.Captures.Bar;
import dev.quotestream.quotes.MarketSimulator;
import dev.quotestream.quotes.YahooSymbols;
import dev.quotestream.report.DailyReport;
import dev.quotestream.report.DuckDbCatalogRefresher;
import dev.quotestream.report.DuckDbLake;
import dev.quotestream.report.DuckDbSqlExecutor;
import dev.quotestream.report.ReportQueryRunner;
import dev.quotestream.report.ReportRequests;
import dev.quotestream.report.ReportSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of symbol through the real routes into the lake and back out through the DuckDB view and the report:
 * forex and futures with {@code =}, an index with {@code ^}, listings with {@code .} and {@code -}, a fund, a
 * crypto pair on UTC and a Sydney listing whose trading day is not the UTC date. Yahoo is WireMock serving
 * hand-made minute bodies on real captured meta (src/test/resources/yahoo/captured).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LakeRoundTripTest {

    static final List<String> CAPTURED = List.of("chart-EURUSD=X-2020-01-01-to-2020-01-03.json",
            "chart-GC=F-2020-01-01-to-2020-01-03.json", "chart-OCDO.L-2020-01-01-to-2020-01-03.json",
            "chart-BTC-USD-2020-01-01-to-2020-01-03.json", "chart-0P000071W8.TO-2020-01-01-to-2020-01-03.json",
            "chart-WSU.DE-2023-08-04-to-2023-08-09.json", "chart-LUCYW-null-currency.json");
    /** Served by the market simulator's generator (today, UTC): an index and a class share. */
    static final List<String> SIMULATED = List.of("^GSPC", "BRK-B");

    private WireMockServer yahoo;
    private Path data;
    private LocalData at;
    private final Map<String, Quote> expected = new LinkedHashMap<>();
    private final Map<String, String> expectedDay = new TreeMap<>();
    private DuckDbLake duckDb;

    /** HAND-MADE: a Sydney listing at 10:30 local (23:30 UTC the day before), on WSU.DE's real meta shape. */
    static ObjectNode sydney() {
        long open = Instant.parse("2026-10-01T23:00:00Z").getEpochSecond();
        ObjectNode body = Captures.minuteBody("chart-WSU.DE-2023-08-04-to-2023-08-09.json", List.of(
                new Bar(open, 45.10, 45.30, 45.05, 45.20, 12_000L), new Bar(open + 60, 45.20, 45.40, 45.15, 45.35, 8_000L)));
        ObjectNode meta = Captures.meta(body);
        meta.put("symbol", "BHP.AX").put("currency", "AUD").put("exchangeTimezoneName", "Australia/Sydney")
                .put("regularMarketTime", open + 1800).put("regularMarketPrice", 45.3).put("regularMarketDayHigh", 45.4)
                .put("regularMarketDayLow", 45.05).put("regularMarketVolume", 20_000).put("chartPreviousClose", 44.9);
        meta.remove("currentTradingPeriod");
        return body;
    }

    @BeforeAll
    void fetchEveryKindOfSymbolOnce(@TempDir Path dir) throws Exception {
        data = dir;
        yahoo = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        yahoo.start();
        List<String> symbols = new ArrayList<>();
        for (String file : CAPTURED) {
            ObjectNode body = Captures.sessionBody(file);
            Quote q = Captures.expected(body);
            serve(q.symbol(), Captures.text(body));
            expected.put(q.symbol(), q);
            symbols.add(q.symbol());
        }
        ObjectNode bhp = sydney();
        serve("BHP.AX", Captures.text(bhp));
        symbols.add("BHP.AX");
        expectedDay.put("BHP.AX", "2026-10-02"); // the UTC date is 2026-10-01
        Instant now = Instant.now();
        MarketSimulator generator = new MarketSimulator("127.0.0.1", 0, 42, 30, 10, SIMULATED, Clock.systemUTC());
        for (String s : SIMULATED) {
            serve(s, generator.chartJson(s, now));
            symbols.add(s);
            expectedDay.put(s, now.atZone(ZoneOffset.UTC).toLocalDate().toString());
        }
        expected.values().forEach(q -> expectedDay.put(q.symbol(), Quote.tradingDay(q.timestamp(), q.exchangeTimezone())));

        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.base-url", yahoo.baseUrl());
        p.put("quotes.symbols", String.join(",", symbols));
        p.put("quotes.fetch-period-ms", "3600000");
        p.put("quotes.initial-delay-ms", "300");
        p.put("report.schedule-enabled", "false");
        try (PipelineRunner app = PipelineRunner.start(p)) {
            ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            assertThat(stored.await(symbols.size(), Duration.ofSeconds(60))).as("every symbol stored").isTrue();
        } // graceful stop: the lake batches are flushed
        at = new LocalData(data);
        duckDb = new DuckDbLake();
        new DuckDbCatalogRefresher(duckDb, data.resolve("raw")).refresh();
    }

    /** The path as it arrives: Camel re-emits %3D as '=' (legal in a path segment, RFC 3986); ^ stays %5E. */
    static String wirePath(String symbol) {
        return "/v8/finance/chart/" + YahooSymbols.pathSegment(symbol).replace("%3D", "=");
    }

    private void serve(String symbol, String body) {
        yahoo.stubFor(get(urlPathEqualTo(wirePath(symbol)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
    }

    @AfterAll
    void stop() throws Exception {
        yahoo.stop();
        if (duckDb != null) {
            duckDb.stop();
        }
    }

    @Test
    void eachStoredQuoteHasTheValuesTheRuleGivesFieldByField() {
        assertThat(at.deadLetters("*")).isEmpty();
        for (Quote q : expected.values()) {
            List<Map<String, Object>> rows = at.query("SELECT timestamp, open, high, low, price, volume, previous_close, "
                    + "currency, exchange_timezone FROM quotes WHERE symbol = '" + q.symbol() + "'");
            assertThat(rows).as(q.symbol()).hasSize(1);
            Map<String, Object> r = rows.get(0);
            assertThat(r.get("timestamp")).as(q.symbol()).isEqualTo(q.timestamp());
            assertThat(((Number) r.get("open")).doubleValue()).as(q.symbol() + " open").isEqualTo(q.open().doubleValue());
            assertThat(((Number) r.get("high")).doubleValue()).as(q.symbol() + " high").isEqualTo(q.high().doubleValue());
            assertThat(((Number) r.get("low")).doubleValue()).as(q.symbol() + " low").isEqualTo(q.low().doubleValue());
            assertThat(((Number) r.get("price")).doubleValue()).as(q.symbol() + " price").isEqualTo(q.price().doubleValue());
            assertThat(((Number) r.get("volume")).longValue()).as(q.symbol() + " volume").isEqualTo(q.volume());
            assertThat(((Number) r.get("previous_close")).doubleValue()).as(q.symbol()).isEqualTo(q.previousClose().doubleValue());
            assertThat(r.get("currency")).as(q.symbol() + " currency").isEqualTo(q.currency());
            assertThat(r.get("exchange_timezone")).as(q.symbol()).isEqualTo(q.exchangeTimezone());
        }
        assertThat(expected.get("OCDO.L").currency()).isEqualTo("GBp");
        assertThat(expected.get("LUCYW").currency()).isNull();
    }

    @Test
    void eachSymbolWasRequestedAsOneEncodedPathSegment() {
        List<String> urls = yahoo.getAllServeEvents().stream().map(e -> e.getRequest().getUrl()).sorted().toList();
        assertThat(urls).contains("/v8/finance/chart/%5EGSPC?range=1d&interval=1m",
                "/v8/finance/chart/EURUSD=X?range=1d&interval=1m", "/v8/finance/chart/GC=F?range=1d&interval=1m",
                "/v8/finance/chart/BRK-B?range=1d&interval=1m", "/v8/finance/chart/0P000071W8.TO?range=1d&interval=1m");
        assertThat(urls).hasSize(expectedDay.size());
    }

    @Test
    void partitionsAreHiveEscapedAndDatedByTheExchangesDay() {
        List<String> partitions = at.files("raw", "**").stream()
                .map(f -> data.resolve("raw").relativize(f.getParent()).toString()).distinct().sorted().toList();
        List<String> wanted = expectedDay.entrySet().stream()
                .map(e -> "dt=" + e.getValue() + "/ticker=" + dev.quotestream.core.LakeLayout.escapePathName(e.getKey()))
                .sorted().toList();
        assertThat(partitions).isEqualTo(wanted);
        assertThat(partitions).contains("dt=2026-10-02/ticker=EURUSD%3DX", "dt=2026-10-02/ticker=GC%3DF",
                "dt=2026-10-02/ticker=OCDO.L", "dt=2026-10-02/ticker=BHP.AX", "dt=2026-10-03/ticker=BTC-USD");
        assertThat(partitions).anyMatch(p -> p.endsWith("/ticker=%5EGSPC")).anyMatch(p -> p.endsWith("/ticker=BRK-B"));
        // The lake line keeps the real symbol, the currency and the zone.
        assertThat(at.lakeRecords()).anySatisfy(line -> assertThat(line).containsEntry("symbol", "EURUSD=X")
                .containsEntry("currency", "USD").containsEntry("exchange_timezone", "Europe/London"));
    }

    @Test
    void duckDbReadsEveryPartitionBackAsTheRealSymbol() throws Exception {
        Map<String, String> read = new TreeMap<>();
        try (Statement st = duckDb.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT ticker, symbol, dt FROM raw_data")) {
            while (rs.next()) {
                assertThat(rs.getString("ticker")).isEqualTo(rs.getString("symbol"));
                read.put(rs.getString("symbol"), rs.getString("dt"));
            }
        }
        assertThat(read).isEqualTo(expectedDay);
    }

    @Test
    void filtersOnTheDecodedPartitionValuesStillPrune() throws Exception {
        int files = at.files("raw", "**").size();
        assertThat(explain("SELECT symbol, price FROM raw_data WHERE ticker = 'EURUSD=X'"))
                .contains("Scanning Files: 1/" + files);
        assertThat(explain("SELECT symbol, price FROM raw_data WHERE ticker = '^GSPC'"))
                .contains("Scanning Files: 1/" + files);
        long btcDayFiles = expectedDay.values().stream().filter("2026-10-03"::equals).count();
        assertThat(explain("SELECT symbol, price FROM raw_data WHERE dt = '2026-10-03'"))
                .contains("Scanning Files: " + btcDayFiles + "/" + files);
    }

    private String explain(String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Statement st = duckDb.connection().createStatement(); ResultSet rs = st.executeQuery("EXPLAIN ANALYZE " + sql)) {
            while (rs.next()) {
                plan.append(rs.getString(2));
            }
        }
        return plan.toString();
    }

    @Test
    void theDailyReportNamesTheRealSymbols() {
        ReportQueryRunner runner = new ReportQueryRunner(new DuckDbSqlExecutor(duckDb), 3, 30, 3.0, ReportSource.RAW);
        Clock clock = Clock.fixed(Instant.parse("2026-10-03T12:00:00Z"), ZoneOffset.UTC);
        DailyReport all = runner.run(new ReportRequests(ZoneId.of("UTC"), "", new BigDecimal("5"), clock)
                .create("2026-10-02"));
        assertThat(all.symbols()).extracting(DailyReport.SymbolSummary::symbol).containsExactlyInAnyOrder(
                "0P000071W8.TO", "BHP.AX", "EURUSD=X", "GC=F", "OCDO.L", "WSU.DE");
        DailyReport two = runner.run(new ReportRequests(ZoneId.of("UTC"), "EURUSD=X,GC=F", new BigDecimal("5"), clock)
                .create("2026-10-02"));
        assertThat(two.symbols()).extracting(DailyReport.SymbolSummary::symbol).containsExactly("EURUSD=X", "GC=F");
        assertThat(two.symbols().get(0).close()).isEqualTo(expected.get("EURUSD=X").price().doubleValue());
    }
}
