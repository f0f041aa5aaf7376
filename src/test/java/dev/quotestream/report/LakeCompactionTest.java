package dev.quotestream.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quotestream.report.DailyReport.SymbolSummary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Local compaction (DuckDB COPY … FORMAT PARQUET) on a generated lake with replayed duplicates: the Parquet rows are
 * the JSON lines minus the duplicates, value for value; a second run gives byte-identical files; the report from
 * Parquet equals the report from JSON; the original example query still runs on raw_data.
 */
class LakeCompactionTest {

    static final List<LocalDate> DAYS = List.of(LocalDate.of(2026, 11, 24), LocalDate.of(2026, 11, 25));
    static final List<String> SYMBOLS = List.of("AAPL", "BRK-B", "EURUSD=X", "MSFT", "^GSPC");
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dataDir;
    DuckDbLake duckDb;
    DuckDbCatalogRefresher catalog;
    DuckDbLakeCompactor compactor;

    @BeforeEach
    void lake() throws Exception {
        new SyntheticLake(dataDir, 3, 30, 50).write(DAYS, SYMBOLS);
        duckDb = new DuckDbLake();
        catalog = new DuckDbCatalogRefresher(duckDb, dataDir.resolve("raw"), dataDir.resolve("curated"));
        catalog.refresh();
        compactor = new DuckDbLakeCompactor(duckDb, catalog);
    }

    @AfterEach
    void close() throws Exception {
        duckDb.stop();
    }

    /** Every JSON line of a day, by (symbol, timestamp): the last copy seen wins only if it has more volume. */
    Map<String, JsonNode> distinctLines(LocalDate day, int[] lines) throws Exception {
        Map<String, JsonNode> byKey = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dataDir.resolve("raw/dt=" + day))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    JsonNode q = MAPPER.readTree(line);
                    lines[0]++;
                    byKey.merge(q.get("symbol").asText() + " " + q.get("timestamp").asText(), q,
                            (a, b) -> b.get("volume").asLong() > a.get("volume").asLong() ? b : a);
                }
            }
        }
        return byKey;
    }

    List<Map<String, Object>> curatedRows(LocalDate day) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement st = duckDb.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM curated WHERE dt = '" + day + "' ORDER BY symbol, \"timestamp\"")) {
            while (rs.next()) {
                Map<String, Object> row = new TreeMap<>();
                for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                    row.put(rs.getMetaData().getColumnLabel(c), rs.getObject(c));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void parquetHoldsTheJsonLinesMinusDuplicatesValueForValue() throws Exception {
        // A conflicting replay: the same market time fetched again later, with more session volume; it must win.
        LocalDate day = DAYS.get(1);
        Path someFile;
        try (Stream<Path> files = Files.walk(dataDir.resolve("raw/dt=" + day + "/ticker=MSFT"))) {
            someFile = files.filter(p -> p.toString().endsWith(".json")).sorted().findFirst().orElseThrow();
        }
        JsonNode first = MAPPER.readTree(Files.readAllLines(someFile).get(0));
        ((com.fasterxml.jackson.databind.node.ObjectNode) first).put("volume", first.get("volume").asLong() + 777);
        Files.writeString(dataDir.resolve("raw/dt=" + day + "/ticker=MSFT/part-99999999T999999999Z-replayed.json"),
                MAPPER.writeValueAsString(first) + "\n");
        catalog.refresh();

        for (LocalDate d : DAYS) {
            int[] lines = new int[1];
            Map<String, JsonNode> expected = distinctLines(d, lines);
            DuckDbLakeCompactor.Result result = compactor.compact(d);
            assertThat(result.linesRead()).isEqualTo(lines[0]);
            assertThat(result.quotesWritten()).isEqualTo(expected.size());
            assertThat(result.duplicatesRemoved()).as("the generator replays lines").isPositive();
            assertThat(result.files()).isEqualTo(SYMBOLS.size());

            List<Map<String, Object>> rows = curatedRows(d);
            assertThat(rows).hasSize(expected.size());
            List<JsonNode> want = new ArrayList<>(expected.values());
            want.sort(java.util.Comparator.comparing((JsonNode q) -> q.get("symbol").asText())
                    .thenComparing(q -> q.get("timestamp").asText()));
            for (int i = 0; i < rows.size(); i++) {
                Map<String, Object> row = rows.get(i);
                JsonNode q = want.get(i);
                assertThat(row.get("symbol")).isEqualTo(q.get("symbol").asText());
                assertThat(row.get("ticker")).isEqualTo(q.get("symbol").asText());
                assertThat(row.get("dt")).isEqualTo(d.toString());
                assertThat(row.get("timestamp")).isEqualTo(q.get("timestamp").asText());
                for (String n : List.of("open", "high", "low", "price", "previous_close")) {
                    assertThat((Double) row.get(n)).as(n).isEqualTo(q.get(n).asDouble());
                }
                assertThat(((Number) row.get("volume")).longValue()).isEqualTo(q.get("volume").asLong());
                assertThat(row.get("currency")).isEqualTo("USD");
                assertThat(row.get("exchange_timezone")).isEqualTo("America/New_York");
            }
        }
        String key = "MSFT " + first.get("timestamp").asText();
        assertThat(curatedRows(day)).filteredOn(r -> (r.get("symbol") + " " + r.get("timestamp")).equals(key))
                .singleElement().satisfies(r -> assertThat(((Number) r.get("volume")).longValue())
                        .isEqualTo(first.get("volume").asLong()));
        // The layout: curated/dt=<day>/ticker=<symbol>/part-0.parquet, the partition named as the raw lake names it.
        assertThat(parquetFiles().keySet()).containsExactlyInAnyOrder(
                DAYS.stream().flatMap(d -> SYMBOLS.stream().map(s -> "dt=" + d + "/ticker="
                        + DuckDbLakeCompactor.tickerDirectory(s) + "/part-0.parquet")).toArray(String[]::new));
    }

    @Test
    void aSecondRunGivesTheSameFilesAndRows() throws Exception {
        for (LocalDate d : DAYS) {
            compactor.compact(d);
        }
        Map<String, String> firstFiles = parquetFiles();
        List<Map<String, Object>> firstRows = curatedRows(DAYS.get(0));
        // a stale partition of a ticker the raw day does not have, and a leftover temp file: the next run removes them
        Path stale = dataDir.resolve("curated/dt=" + DAYS.get(0) + "/ticker=ZZZZ/part-0.parquet");
        Files.createDirectories(stale.getParent());
        Files.copy(dataDir.resolve("curated/dt=" + DAYS.get(0) + "/ticker=AAPL/part-0.parquet"), stale);
        Files.writeString(dataDir.resolve("curated/dt=" + DAYS.get(0) + "/ticker=AAPL/part-0.parquet.inprogress"), "x");

        for (LocalDate d : DAYS) {
            DuckDbLakeCompactor.Result again = compactor.compact(d);
            assertThat(again.files()).isEqualTo(SYMBOLS.size());
        }
        assertThat(parquetFiles()).isEqualTo(firstFiles);
        assertThat(curatedRows(DAYS.get(0))).isEqualTo(firstRows);
        assertThat(stale.getParent()).doesNotExist();
    }

    @Test
    void theReportFromParquetEqualsTheReportFromJson() throws Exception {
        DuckDbSqlExecutor sql = new DuckDbSqlExecutor(duckDb);
        ReportRequests requests = new ReportRequests(ZoneId.of("America/New_York"), "", new BigDecimal("5"),
                Clock.fixed(Instant.parse("2026-11-25T21:30:00Z"), ZoneOffset.UTC));
        for (LocalDate d : DAYS) {
            compactor.compact(d);
            ReportRequest request = requests.create(d.toString());
            DailyReport fromJson = new ReportQueryRunner(sql, 3, 30, 3, ReportSource.RAW).run(request);
            DailyReport fromParquet = new ReportQueryRunner(sql, 3, 30, 3, ReportSource.CURATED).run(request);
            assertThat(fromParquet.symbols()).hasSize(SYMBOLS.size());
            assertThat(fromParquet.anomalies()).as("the generator forces anomalies").isNotEmpty();
            // STDDEV_SAMP may sum in another order: the volatility is compared to 1e-12, everything else exactly.
            assertThat(fromParquet.symbols()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("volatility")
                    .isEqualTo(fromJson.symbols());
            for (int i = 0; i < fromJson.symbols().size(); i++) {
                SymbolSummary a = fromJson.symbols().get(i);
                assertThat(fromParquet.symbols().get(i).volatility()).isCloseTo(a.volatility(), within(1e-12));
            }
            assertThat(fromParquet.anomalies()).isEqualTo(fromJson.anomalies());
            assertThat(fromParquet.ticks()).isEqualTo(fromJson.ticks());
            assertThat(fromParquet.gaps()).isEqualTo(fromJson.gaps());
            assertThat(fromParquet.freshness()).isEqualTo(fromJson.freshness());
            assertThat(fromParquet.topMovers()).extracting(SymbolSummary::symbol)
                    .isEqualTo(fromJson.topMovers().stream().map(SymbolSummary::symbol).toList());
            assertThat(ReportRenderer.text(fromParquet)).isEqualTo(ReportRenderer.text(fromJson));
        }
    }

    @Test
    void theExampleQueryStillRunsUnchangedOnRawData() {
        String sql = SqlLibrary.get(SqlLibrary.AVG_PRICE_BY_SYMBOL);
        assertThat(sql).isEqualTo("SELECT symbol, AVG(price) FROM raw_data GROUP BY symbol");
        compactor.compact(DAYS.get(0));
        QueryResult result = new DuckDbSqlExecutor(duckDb).query(sql, List.of());
        assertThat(result.rows()).extracting(r -> r.get(0)).containsExactlyInAnyOrderElementsOf(SYMBOLS);
    }

    @Test
    void aDayWithoutRawLinesLeavesTheCuratedLakeAlone() throws Exception {
        compactor.compact(DAYS.get(0));
        Map<String, String> before = parquetFiles();
        DuckDbLakeCompactor.Result none = compactor.compact(LocalDate.of(2026, 11, 26));
        assertThat(none.linesRead()).isZero();
        assertThat(parquetFiles()).isEqualTo(before);
    }

    /** curated/… relative path -> sha256 of the file. */
    Map<String, String> parquetFiles() throws Exception {
        Map<String, String> files = new TreeMap<>();
        Path root = dataDir.resolve("curated");
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return files;
    }
}
