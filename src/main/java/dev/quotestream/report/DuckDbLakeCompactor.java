package dev.quotestream.report;

import dev.quotestream.core.metrics.Quote;
import dev.quotestream.core.LakeLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Local compaction with DuckDB: the day's raw JSON lines ({@code <raw>/dt=<day>/ticker=…/*.json}, the same columns
 * as the view {@code raw_data}) are read once into a temporary table, deduplicated by {@code sql/curated-day.sql}, and every symbol's rows are written by one
 * {@code COPY … (FORMAT PARQUET, PARTITION_BY …)} into a staging folder, then each file is renamed to
 * {@code <data.dir>/curated/dt=<day>/ticker=<symbol>/part-0.parquet} (rows ordered by time). The partition directory is named by the lake writer's own encoding
 * ({@link #tickerDirectory}). A second run writes the same files; a ticker the day no longer has is removed.
 */
public class DuckDbLakeCompactor implements LakeCompactor {

    private static final Logger LOG = LoggerFactory.getLogger(DuckDbLakeCompactor.class);
    static final String FILE = "part-0.parquet";

    private final DuckDbLake duckDb;
    private final DuckDbCatalogRefresher catalog;

    /** @param catalog the views this compactor reads ({@code raw_data}) and refreshes ({@code curated}) */
    public DuckDbLakeCompactor(DuckDbLake duckDb, DuckDbCatalogRefresher catalog) {
        this.duckDb = duckDb;
        this.catalog = catalog;
    }

    /** What one compaction did. */
    public record Result(LocalDate day, long linesRead, long quotesWritten, int files) {
        public long duplicatesRemoved() {
            return linesRead - quotesWritten;
        }
    }

    @Override
    public ReportRequest compact(ReportRequest request) {
        compact(request.date());
        return request;
    }

    public Result compact(LocalDate day) {
        long started = System.nanoTime();
        Path dayDir = catalog.curatedRoot().resolve("dt=" + day);
        Result result;
        synchronized (duckDb) {
            try {
                result = compact(duckDb.connection(), day, dayDir);
            } catch (SQLException e) {
                throw new IllegalStateException("compaction of " + day + " failed: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("compaction of " + day + " failed", e);
            }
        }
        catalog.refreshCurated();
        LOG.info("Compaction {}: {} raw lines -> {} quotes ({} duplicates removed) in {} Parquet files under {} ({} ms)",
                day, result.linesRead(), result.quotesWritten(), result.duplicatesRemoved(), result.files(), dayDir,
                (System.nanoTime() - started) / 1_000_000);
        return result;
    }

    private Result compact(Connection connection, LocalDate day, Path dayDir) throws SQLException, IOException {
        long t0 = System.nanoTime();
        // Only the day's folder is globbed (not the whole lake, then pruned): the same rows, a third of the time.
        String dayGlob = catalog.dayGlob(day);
        long lines = 0;
        if (dayGlob != null) {
            try (PreparedStatement load = connection.prepareStatement("CREATE OR REPLACE TEMP TABLE raw_day AS SELECT * FROM "
                    + DuckDbCatalogRefresher.readJson(dayGlob) + " WHERE dt = ?")) {
                load.setString(1, day.toString());
                load.execute();
            }
            lines = count(connection, "SELECT count(*) FROM raw_day");
        }
        long read = System.nanoTime();
        if (lines == 0) {
            // No raw data for the day (never written, or expired): keep whatever the curated lake has.
            LOG.info("Compaction {}: no raw lines for the day; the curated lake is left as it is", day);
            return new Result(day, 0, 0, 0);
        }
        try (PreparedStatement dedup = connection.prepareStatement("CREATE OR REPLACE TEMP TABLE curated_day AS "
                + SqlLibrary.get(SqlLibrary.CURATED_DAY).replace("{raw}", "raw_day"))) {
            dedup.setString(1, day.toString());
            dedup.setString(2, "");
            dedup.setString(3, "");
            dedup.execute();
        }
        long t1 = System.nanoTime();
        Map<String, Long> symbols = new LinkedHashMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT symbol, count(*) FROM curated_day GROUP BY symbol ORDER BY symbol")) {
            while (rs.next()) {
                symbols.put(rs.getString(1), rs.getLong(2));
            }
        }
        long quotes = 0;
        Set<Path> written = new HashSet<>();
        List<String> ordered = new ArrayList<>(symbols.keySet());
        for (String symbol : ordered) {
            if (symbol == null || !Quote.SYMBOL.matcher(symbol).matches()) {
                throw new IllegalStateException("raw lake of " + day + " holds a line whose symbol is not a ticker: "
                        + symbol);
            }
        }
        // One COPY writes every symbol's file, in parallel: partitioned by the symbol's index (part=0, part=1, ...) into
        // a staging folder, so DuckDB's own naming of partition values never matters; each file then moves to the
        // lake writer's partition name. PARTITION_BY leaves the index column out of the files.
        // Outside the curated tree, so the view's glob never sees a half-written day.
        Path staging = dayDir.getParent().resolveSibling(dayDir.getParent().getFileName() + ".inprogress")
                .resolve(dayDir.getFileName());
        deleteTree(staging);
        Files.createDirectories(staging.getParent());
        Files.createDirectories(dayDir);
        String columns = String.join(", ", DuckDbCatalogRefresher.quoted(DuckDbCatalogRefresher.COLUMNS.keySet()));
        StringBuilder index = new StringBuilder("CASE symbol");
        for (int i = 0; i < ordered.size(); i++) {
            index.append(" WHEN ").append(DuckDbCatalogRefresher.literal(ordered.get(i))).append(" THEN ").append(i);
        }
        index.append(" END");
        try (Statement copy = connection.createStatement()) {
            copy.execute("COPY (SELECT " + columns + ", " + index + " AS part FROM curated_day ORDER BY part, \"timestamp\") TO "
                    + DuckDbCatalogRefresher.literal(staging.toString())
                    + " (FORMAT PARQUET, COMPRESSION ZSTD, PARTITION_BY (part), FILENAME_PATTERN 'data{i}')");
        }
        for (int i = 0; i < ordered.size(); i++) {
            String symbol = ordered.get(i);
            Path dir = dayDir.resolve("ticker=" + tickerDirectory(symbol));
            Files.createDirectories(dir);
            Path target = dir.resolve(FILE);
            Files.move(staging.resolve("part=" + i).resolve("data0.parquet"), target, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            written.add(target);
            quotes += symbols.get(symbol);
        }
        deleteTree(staging);
        try (Stream<Path> left = Files.list(staging.getParent())) {
            if (left.findAny().isEmpty()) {
                Files.delete(staging.getParent());
            }
        }
        long t2 = System.nanoTime();
        removeStale(dayDir, written);
        LOG.debug("Compaction {}: read {} ms, deduplicated {} ms, wrote {} ms", day, (read - t0) / 1_000_000,
                (t1 - read) / 1_000_000, (t2 - t1) / 1_000_000);
        try (Statement st = connection.createStatement()) {
            st.execute("DROP TABLE IF EXISTS raw_day");
            st.execute("DROP TABLE IF EXISTS curated_day");
        }
        return new Result(day, lines, quotes, written.size());
    }

    /**
     * The partition directory's value for a symbol: the raw lake writer's own encoding
     * ({@link LakeLayout#escapePathName}, Hive's), so {@code curated/dt=…/ticker=EURUSD%3DX} and
     * {@code raw/dt=…/ticker=EURUSD%3DX} name the same symbol the same way, and as Athena writes it.
     */
    static String tickerDirectory(String symbol) {
        return LakeLayout.escapePathName(symbol);
    }

    /** The symbol a ticker partition value names: the inverse of {@link #tickerDirectory}. */
    static String symbolOf(String tickerDirectory) {
        return LakeLayout.unescapePathName(tickerDirectory);
    }

    /** Files of the day that this run did not write: a ticker the raw day no longer has, a leftover temp file. */
    private static void removeStale(Path dayDir, Set<Path> written) throws IOException {
        try (Stream<Path> files = Files.walk(dayDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isRegularFile(p) && !written.contains(p)) {
                    Files.delete(p);
                } else if (Files.isDirectory(p) && !p.equals(dayDir)) {
                    try (Stream<Path> left = Files.list(p)) {
                        if (left.findAny().isEmpty()) {
                            Files.delete(p);
                        }
                    }
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
