package dev.quotestream.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Local catalog refresh: (re)creates the two DuckDB views the report reads, with the same columns and types as
 * Athena's:
 * <ul>
 *   <li>{@code raw_data} over the raw JSON lake {@code <data.dir>/<lake.prefix>/**}{@code /*.json};</li>
 *   <li>{@code curated} over the curated Parquet lake {@code <data.dir>/curated/dt=…/ticker=…/*.parquet} that
 *       {@link DuckDbLakeCompactor} writes (an empty view while nothing is compacted yet).</li>
 * </ul>
 * Both with hive partitions {@code dt}, {@code ticker} as strings. The JSON columns are the contract's
 * ({@link #COLUMNS}), declared rather than sampled: a key a line lacks (older lines have no {@code currency}) is
 * NULL, numbers are DOUBLE ({@code volume} BIGINT) even when a sample holds only whole numbers, and the timestamp
 * stays ISO text, as the Glue crawler types it for Athena.
 */
public class DuckDbCatalogRefresher implements CatalogRefresher {

    private static final Logger LOG = LoggerFactory.getLogger(DuckDbCatalogRefresher.class);
    static final String HIVE = "hive_partitioning = true, hive_types = {'dt': 'VARCHAR', 'ticker': 'VARCHAR'}";
    /** The quote's columns in the lake, in contract order (docs/data-contract.md), with the views' types. */
    public static final Map<String, String> COLUMNS = columns();

    private final DuckDbLake duckDb;
    private final Path lakeRoot;
    private final Path curatedRoot;
    /** The connection the views were created on: they stay valid (a view globs at query time) until it changes. */
    private java.sql.Connection viewsOn;
    private boolean curatedEmpty = true;

    public DuckDbCatalogRefresher(DuckDbLake duckDb, Path lakeRoot) {
        this(duckDb, lakeRoot, lakeRoot.resolveSibling("curated"));
    }

    public DuckDbCatalogRefresher(DuckDbLake duckDb, Path lakeRoot, Path curatedRoot) {
        this.duckDb = duckDb;
        this.lakeRoot = lakeRoot.toAbsolutePath().normalize();
        this.curatedRoot = curatedRoot.toAbsolutePath().normalize();
    }

    private static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("symbol", "VARCHAR");
        c.put("timestamp", "VARCHAR");
        c.put("open", "DOUBLE");
        c.put("high", "DOUBLE");
        c.put("low", "DOUBLE");
        c.put("price", "DOUBLE");
        c.put("volume", "BIGINT");
        c.put("previous_close", "DOUBLE");
        c.put("currency", "VARCHAR");
        c.put("exchange_timezone", "VARCHAR");
        return java.util.Collections.unmodifiableMap(c);
    }

    public Path lakeRoot() {
        return lakeRoot;
    }

    public Path curatedRoot() {
        return curatedRoot;
    }

    /** The glob the raw view reads. */
    public String glob() {
        return lakeRoot.toString().replace('\\', '/') + "/**/*.json";
    }

    /** The glob the curated view reads: the compactor's files, one level per partition. */
    public String curatedGlob() {
        return curatedRoot.toString().replace('\\', '/') + "/*/*/*.parquet";
    }

    @Override
    public ReportRequest refresh(ReportRequest request) {
        refresh();
        return request;
    }

    public void refresh() {
        // The executor serialises its queries on the same DuckDbLake: no query runs while a view is replaced.
        synchronized (duckDb) {
            refreshViews();
        }
    }

    /** Only the curated view: after a compaction, which may have written the first files. */
    public void refreshCurated() {
        synchronized (duckDb) {
            try (Statement st = duckDb.connection().createStatement()) {
                st.execute(curatedView());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create the curated view over " + curatedGlob() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private void refreshViews() {
        if (!hasFiles(lakeRoot, ".json")) {
            throw new IllegalStateException("no lake files (*.json) under " + lakeRoot
                    + ": run the pipeline first, or point data.dir at a lake");
        }
        java.sql.Connection connection = duckDb.connection();
        if (connection == viewsOn) {
            // The declared columns do not change, and each query globs the files anew; only an empty curated view
            // (nothing was compacted when it was made) is made again once files are there.
            if (curatedEmpty && hasFiles(curatedRoot, ".parquet")) {
                refreshCurated();
            }
            return;
        }
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE OR REPLACE VIEW raw_data AS SELECT * FROM " + readJson(glob()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the raw_data view over " + glob() + ": " + e.getMessage(), e);
        }
        refreshCurated();
        viewsOn = connection;
        LOG.info("Catalog: DuckDB views raw_data over {} and curated over {}", glob(), curatedGlob());
    }

    /** {@code read_json(...)} of raw lake files: the contract's columns, hive partitions dt and ticker. */
    static String readJson(String glob) {
        String columns = COLUMNS.entrySet().stream().map(e -> literal(e.getKey()) + ": '" + e.getValue() + "'")
                .collect(Collectors.joining(", "));
        return "read_json(" + literal(glob) + ", format = 'newline_delimited', " + HIVE + ", columns = {" + columns + "})";
    }

    /** The raw files of one day, by the lake layout: {@code <raw>/dt=<day>/ticker=<symbol>/*.json}; null when none. */
    public String dayGlob(java.time.LocalDate day) {
        Path dayDir = lakeRoot.resolve("dt=" + day);
        return hasFiles(dayDir, ".json") ? dayDir.toString().replace('\\', '/') + "/*/*.json" : null;
    }

    private String curatedView() {
        curatedEmpty = !hasFiles(curatedRoot, ".parquet");
        if (!curatedEmpty) {
            return "CREATE OR REPLACE VIEW curated AS SELECT " + String.join(", ", quoted(COLUMNS.keySet()))
                    + ", dt, ticker FROM read_parquet(" + literal(curatedGlob()) + ", " + HIVE + ")";
        }
        // Nothing compacted yet: the same columns, no rows.
        return "CREATE OR REPLACE VIEW curated AS SELECT " + COLUMNS.entrySet().stream()
                .map(e -> "CAST(NULL AS " + e.getValue() + ") AS \"" + e.getKey() + "\"").collect(Collectors.joining(", "))
                + ", CAST(NULL AS VARCHAR) AS dt, CAST(NULL AS VARCHAR) AS ticker WHERE false";
    }

    static java.util.List<String> quoted(java.util.Collection<String> names) {
        return names.stream().map(n -> "\"" + n + "\"").toList();
    }

    private static boolean hasFiles(Path root, String extension) {
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(extension) && Files.isRegularFile(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A SQL string literal of trusted configuration text (a path, a column name the files declare). */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
