package dev.quotestream.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Local catalog refresh: (re)creates the DuckDB view {@code raw_data} over
 * {@code <data.dir>/<lake.prefix>/**}{@code /*.json} with hive partitioning ({@code dt}, {@code ticker}).
 * <p>
 * The schema is discovered from the files ({@code DESCRIBE} over {@code read_json_auto}), then made to match
 * what the Glue crawler gives Athena, so the same SQL behaves the same: the partition columns are strings,
 * temporal columns stay ISO text, and numbers are DOUBLE ({@code volume} BIGINT). Widening matters: a sample
 * where every {@code low} is a whole number would otherwise make it BIGINT and fail on the next 208.5.
 */
public class DuckDbCatalogRefresher implements CatalogRefresher {

    private static final Logger LOG = LoggerFactory.getLogger(DuckDbCatalogRefresher.class);
    private static final Set<String> HIVE_COLUMNS = Set.of("dt", "ticker");
    private static final Set<String> INTEGER_ATTRIBUTES = Set.of("volume");
    private static final String HIVE = "hive_partitioning = true, hive_types = {'dt': 'VARCHAR', 'ticker': 'VARCHAR'}";

    private final DuckDbLake duckDb;
    private final Path lakeRoot;

    public DuckDbCatalogRefresher(DuckDbLake duckDb, Path lakeRoot) {
        this.duckDb = duckDb;
        this.lakeRoot = lakeRoot.toAbsolutePath().normalize();
    }

    public Path lakeRoot() {
        return lakeRoot;
    }

    /** The glob the view reads. */
    public String glob() {
        return lakeRoot.toString().replace('\\', '/') + "/**/*.json";
    }

    @Override
    public ReportRequest refresh(ReportRequest request) {
        refresh();
        return request;
    }

    public void refresh() {
        // The executor serialises its queries on the same DuckDbLake: no query runs while the view is replaced.
        synchronized (duckDb) {
            refreshView();
        }
    }

    private void refreshView() {
        if (!hasLakeFiles()) {
            throw new IllegalStateException("no lake files (*.json) under " + lakeRoot
                    + ": run the pipeline first, or point data.dir at a lake");
        }
        String glob = literal(glob());
        try (Statement st = duckDb.connection().createStatement()) {
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_json_auto(" + glob
                    + ", format = 'newline_delimited', " + HIVE + ")")) {
                while (rs.next()) {
                    String name = rs.getString("column_name");
                    if (!HIVE_COLUMNS.contains(name)) {
                        columns.add(literal(name) + ": '" + viewType(name, rs.getString("column_type")) + "'");
                    }
                }
            }
            String ddl = "CREATE OR REPLACE VIEW raw_data AS SELECT * FROM read_json(" + glob
                    + ", format = 'newline_delimited', " + HIVE + ", columns = {" + String.join(", ", columns) + "})";
            st.execute(ddl);
            LOG.info("Catalog: DuckDB view raw_data over {} ({})", glob(), String.join(", ", columns));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the raw_data view over " + glob() + ": " + e.getMessage(), e);
        }
    }

    static String viewType(String column, String discovered) {
        String t = discovered.toUpperCase(Locale.ROOT);
        boolean integer = t.matches("U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)");
        boolean number = integer || t.startsWith("DECIMAL") || t.equals("FLOAT") || t.equals("DOUBLE");
        if (number) {
            return INTEGER_ATTRIBUTES.contains(column) ? "BIGINT" : "DOUBLE";
        }
        if (t.startsWith("TIMESTAMP") || t.equals("DATE") || t.startsWith("TIME")) {
            return "VARCHAR";
        }
        return t;
    }

    private boolean hasLakeFiles() {
        if (!Files.isDirectory(lakeRoot)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(lakeRoot)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A SQL string literal of trusted configuration text (a path, a column name the files declare). */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
