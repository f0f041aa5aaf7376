package dev.quotestream.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quotestream.report.DailyReport.Anomaly;
import dev.quotestream.report.DailyReport.Freshness;
import dev.quotestream.report.DailyReport.Gap;
import dev.quotestream.report.DailyReport.SymbolSummary;
import dev.quotestream.report.SyntheticLake.Tick;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The local report path on a generated lake (3 days, 4 symbols, 30-second ticks): every reported number is
 * checked against values this test computes from the generated quotes, not from SQL.
 */
class DuckDbReportTest {

    static final List<LocalDate> DAYS = List.of(LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 24),
            LocalDate.of(2026, 11, 25));
    static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "BRK-B", "NVDA");
    static final BigDecimal THRESHOLD = new BigDecimal("5");
    static final double EPS = 1e-9;

    @TempDir
    static Path dataDir;
    static Map<LocalDate, Map<String, List<Tick>>> lake;
    static DuckDbLake duckDb;
    static DuckDbCatalogRefresher refresher;
    static ReportQueryRunner runner;

    @BeforeAll
    static void generateLake() throws Exception {
        lake = new SyntheticLake(dataDir, 7, 30, 40).write(DAYS, SYMBOLS);
        duckDb = new DuckDbLake();
        refresher = new DuckDbCatalogRefresher(duckDb, dataDir.resolve("raw"));
        refresher.refresh();
        runner = new ReportQueryRunner(new DuckDbSqlExecutor(duckDb), 3, 30, 3.0, ReportSource.RAW);
    }

    @AfterAll
    static void close() throws Exception {
        duckDb.stop();
    }

    static ReportRequest request(LocalDate day, String symbols) {
        return new ReportRequests(ZoneId.of("America/New_York"), symbols, THRESHOLD,
                Clock.fixed(Instant.parse("2026-11-25T21:30:00Z"), ZoneOffset.UTC)).create(day.toString());
    }

    @Test
    void everyReportedNumberMatchesTheGeneratedData() {
        for (LocalDate day : DAYS) {
            DailyReport report = runner.run(request(day, ""));
            Map<String, List<Tick>> expected = lake.get(day);
            assertThat(report.date()).isEqualTo(day);
            assertThat(report.symbols()).extracting(SymbolSummary::symbol)
                    .containsExactlyElementsOf(expected.keySet().stream().sorted().toList());

            for (SymbolSummary s : report.symbols()) {
                List<Tick> ticks = expected.get(s.symbol());
                Tick first = ticks.get(0);
                Tick last = ticks.get(ticks.size() - 1);
                assertThat(s.ticks()).as(s.symbol() + " ticks").isEqualTo(ticks.size());
                assertThat(s.firstTick()).isEqualTo(first.timestamp().toString());
                assertThat(s.lastTick()).isEqualTo(last.timestamp().toString());
                assertThat(s.open()).as(s.symbol() + " open").isCloseTo(last.open(), within(EPS));
                assertThat(s.close()).as(s.symbol() + " close").isCloseTo(last.price(), within(EPS));
                assertThat(s.high()).as(s.symbol() + " high")
                        .isCloseTo(ticks.stream().mapToDouble(Tick::high).max().orElseThrow(), within(EPS));
                assertThat(s.low()).as(s.symbol() + " low")
                        .isCloseTo(ticks.stream().mapToDouble(Tick::low).min().orElseThrow(), within(EPS));
                assertThat(s.volume()).as(s.symbol() + " volume").isEqualTo(last.volume());
                assertThat(s.previousClose()).isCloseTo(last.previousClose(), within(EPS));
                assertThat(s.changePercent()).as(s.symbol() + " change %")
                        .isCloseTo((last.price() - last.previousClose()) / last.previousClose() * 100, within(1e-7));
                assertThat(s.anomalies()).as(s.symbol() + " anomalies").isEqualTo(anomalies(ticks).size());
                assertThat(s.volatility()).as(s.symbol() + " volatility")
                        .isCloseTo(sampleStddevOfReturns(ticks), within(1e-12));
            }

            // top movers: the 3 largest |change %|
            List<String> movers = expected.values().stream()
                    .map(t -> t.get(t.size() - 1))
                    .sorted(Comparator.comparingDouble((Tick t) -> -Math.abs(t.price() / t.previousClose() - 1)))
                    .limit(3).map(Tick::symbol).toList();
            assertThat(report.topMovers()).extracting(SymbolSummary::symbol).containsExactlyElementsOf(movers);

            // anomalies with their times, in time order
            List<Tick> expectedAnomalies = expected.values().stream().flatMap(t -> anomalies(t).stream())
                    .sorted(Comparator.comparing(Tick::timestamp).thenComparing(Tick::symbol)).toList();
            assertThat(expectedAnomalies).as("the generator forces anomalies").isNotEmpty();
            assertThat(report.anomalies()).hasSameSizeAs(expectedAnomalies);
            for (int i = 0; i < expectedAnomalies.size(); i++) {
                Tick t = expectedAnomalies.get(i);
                Anomaly a = report.anomalies().get(i);
                assertThat(a.symbol()).isEqualTo(t.symbol());
                assertThat(a.timestamp()).isEqualTo(t.timestamp().toString());
                assertThat(a.price()).isCloseTo(t.price(), within(EPS));
                assertThat(a.changePercent()).isCloseTo((t.price() / t.previousClose() - 1) * 100, within(1e-7));
            }

            // freshness: last tick and lag behind the latest tick of the day
            Instant latest = expected.values().stream().map(t -> t.get(t.size() - 1).timestamp())
                    .max(Comparator.naturalOrder()).orElseThrow();
            for (Freshness f : report.freshness()) {
                List<Tick> ticks = expected.get(f.symbol());
                Instant lastTick = ticks.get(ticks.size() - 1).timestamp();
                assertThat(f.lastTick()).isEqualTo(lastTick.toString());
                assertThat(f.lagSeconds()).isEqualTo(latest.getEpochSecond() - lastTick.getEpochSecond());
            }

            // gaps: consecutive ticks more than 3 x 30 s apart
            List<String> expectedGaps = new ArrayList<>();
            expected.forEach((symbol, ticks) -> {
                for (int i = 1; i < ticks.size(); i++) {
                    long seconds = ticks.get(i).timestamp().getEpochSecond() - ticks.get(i - 1).timestamp().getEpochSecond();
                    if (seconds > 90) {
                        expectedGaps.add(symbol + " " + ticks.get(i - 1).timestamp() + " " + ticks.get(i).timestamp()
                                + " " + seconds);
                    }
                }
            });
            assertThat(expectedGaps).as("the generator leaves a hole in MSFT's ticks").hasSize(1);
            assertThat(report.gaps()).extracting(g -> g.symbol() + " " + g.from() + " " + g.to() + " " + g.seconds())
                    .containsExactlyInAnyOrderElementsOf(expectedGaps);
            assertThat(report.gapThreshold().toSeconds()).isEqualTo(90);

            // chart series: every distinct tick, in time order, with its previous close
            expected.forEach((symbol, ticks) -> assertThat(report.ticks().get(symbol))
                    .extracting(t -> t.timestamp() + " " + t.price() + " " + t.previousClose())
                    .containsExactlyElementsOf(ticks.stream()
                            .map(t -> t.timestamp() + " " + t.price() + " " + t.previousClose()).toList()));
        }
    }

    @Test
    void symbolFilterIsAQueryParameter() {
        DailyReport report = runner.run(request(DAYS.get(1), "msft, BRK-B"));
        assertThat(report.symbols()).extracting(SymbolSummary::symbol).containsExactly("BRK-B", "MSFT");
        assertThat(report.anomalies()).allSatisfy(a -> assertThat(a.symbol()).isIn("BRK-B", "MSFT"));
        assertThat(report.ticks()).containsOnlyKeys("BRK-B", "MSFT");
    }

    @Test
    void untrustedInputIsRejectedBeforeAnyQuery() {
        assertThatThrownBy(() -> request(DAYS.get(0), "AAPL,X' OR '1'='1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a ticker symbol");
        assertThatThrownBy(() -> request(null, "").toString()).isInstanceOf(NullPointerException.class);
        ReportRequests requests = new ReportRequests(ZoneId.of("UTC"), "", THRESHOLD, Clock.systemUTC());
        assertThatThrownBy(() -> requests.create("2026-11-25' OR 1=1 --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not YYYY-MM-DD");
    }

    @Test
    void aDayWithoutDataGivesAnEmptyReport() {
        DailyReport report = runner.run(request(LocalDate.of(2026, 11, 26), ""));
        assertThat(report.isEmpty()).isTrue();
        assertThat(report.anomalies()).isEmpty();
        assertThat(ReportRenderer.text(report)).contains("No quotes in the lake for 2026-11-26");
    }

    @Test
    void originalExampleQueryRunsUnchanged() throws Exception {
        String sql = SqlLibrary.get(SqlLibrary.AVG_PRICE_BY_SYMBOL);
        assertThat(sql).isEqualTo("SELECT symbol, AVG(price) FROM raw_data GROUP BY symbol");
        QueryResult result = new DuckDbSqlExecutor(duckDb).query(sql, List.of());

        // Expected: the mean over every line of every file, replayed duplicates included (the query has no DISTINCT).
        ObjectMapper mapper = new ObjectMapper();
        Map<String, double[]> sums = new HashMap<>();
        try (Stream<Path> files = Files.walk(dataDir.resolve("raw"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    JsonNode q = mapper.readTree(line);
                    double[] acc = sums.computeIfAbsent(q.get("symbol").asText(), k -> new double[2]);
                    acc[0] += q.get("price").asDouble();
                    acc[1]++;
                }
            }
        }
        assertThat(result.size()).isEqualTo(SYMBOLS.size());
        for (int i = 0; i < result.size(); i++) {
            String symbol = result.rows().get(i).get(0);
            double avg = Double.parseDouble(result.rows().get(i).get(1));
            assertThat(avg).as(symbol).isCloseTo(sums.get(symbol)[0] / sums.get(symbol)[1], within(1e-9));
        }
    }

    @Test
    void dailyQueriesReadOnlyThatDaysPartitions() throws Exception {
        long allFiles;
        long dayFiles;
        try (Stream<Path> files = Files.walk(dataDir.resolve("raw"))) {
            List<Path> json = files.filter(p -> p.toString().endsWith(".json")).toList();
            allFiles = json.size();
            dayFiles = json.stream().filter(p -> p.toString().contains("dt=" + DAYS.get(1))).count();
        }
        // The report's own query with its JDBC parameters bound, as the report runs it.
        String plan = explainAnalyze(SqlLibrary.report(SqlLibrary.DAILY_SUMMARY, ReportSource.RAW), DAYS.get(1).toString(), "", "", 5.0);
        Matcher m = Pattern.compile("Scanning Files:[\\s\u2502]*(\\d+)/(\\d+)").matcher(plan);
        assertThat(m.find()).as(plan).isTrue();
        assertThat(Long.parseLong(m.group(1))).isEqualTo(dayFiles);
        assertThat(Long.parseLong(m.group(2))).isEqualTo(allFiles);
        assertThat(dayFiles * DAYS.size()).isEqualTo(allFiles);
    }

    private static String explainAnalyze(String sql, Object... parameters) throws Exception {
        try (PreparedStatement ps = duckDb.connection().prepareStatement("EXPLAIN ANALYZE " + sql)) {
            for (int i = 0; i < parameters.length; i++) {
                DuckDbSqlExecutor.bind(ps, i + 1, parameters[i]);
            }
            ResultSet rs = ps.executeQuery();
            StringBuilder b = new StringBuilder();
            while (rs.next()) {
                b.append(rs.getString(2));
            }
            return b.toString();
        }
    }

    @Test
    void rendersTextHtmlAndAPngOfTheConfiguredSize() throws Exception {
        DailyReport report = runner.run(request(DAYS.get(2), ""));
        RenderedReport rendered = new ReportRenderer(new ReportChart(800, 500)).render(report);

        byte[] png = rendered.chartPng();
        assertThat(Arrays.copyOf(png, 8)).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(500);

        for (SymbolSummary s : report.symbols()) {
            String row = String.format(java.util.Locale.ROOT, "%-10s %12s %12s", s.symbol(),
                    ReportRenderer.price(s.open()), ReportRenderer.price(s.close()));
            assertThat(rendered.text()).contains(row);
            assertThat(rendered.html()).contains("<td>" + s.symbol() + "</td><td>" + ReportRenderer.price(s.open()));
        }
        for (Gap g : report.gaps()) {
            assertThat(rendered.text()).contains(g.from() + " -> " + g.to());
        }
        for (Anomaly a : report.anomalies()) {
            assertThat(rendered.html()).contains("<td>" + a.timestamp() + "</td><td>" + a.symbol() + "</td>");
        }
        assertThat(rendered.html()).contains("data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png));
        assertThat(rendered.subject()).isEqualTo("Stock report 2026-11-25: 4 symbols, " + report.anomalies().size()
                + " anomalies");
        // The chart and the table share the baseline: each line ends at the table's change %.
        for (SymbolSummary s : report.symbols()) {
            List<DailyReport.Tick> ticks = report.ticks().get(s.symbol());
            DailyReport.Tick last = ticks.get(ticks.size() - 1);
            assertThat(ReportChart.changePercent(last.price(), last.previousClose()))
                    .isCloseTo(s.changePercent(), within(EPS));
        }
        assertThat(rendered.text()).contains(ReportRenderer.BASELINE);
    }

    static List<Tick> anomalies(List<Tick> ticks) {
        return ticks.stream().filter(t -> Math.abs(t.price() / t.previousClose() - 1) * 100 > THRESHOLD.doubleValue())
                .toList();
    }

    static double sampleStddevOfReturns(List<Tick> ticks) {
        double[] r = new double[ticks.size() - 1];
        for (int i = 1; i < ticks.size(); i++) {
            r[i - 1] = ticks.get(i).price() / ticks.get(i - 1).price() - 1;
        }
        double mean = Arrays.stream(r).average().orElseThrow();
        double ss = Arrays.stream(r).map(x -> (x - mean) * (x - mean)).sum();
        return Math.sqrt(ss / (r.length - 1));
    }
}
