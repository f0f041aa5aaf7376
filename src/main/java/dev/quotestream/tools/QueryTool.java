package dev.quotestream.tools;

import dev.quotestream.report.DuckDbCatalogRefresher;
import dev.quotestream.report.DuckDbLake;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Queries the local data with nothing but the JDK, also while the pipeline runs:
 * {@code java -cp target/quote-pipeline.jar dev.quotestream.tools.QueryTool table 'SELECT ...'} on the SQLite
 * table, or {@code ... QueryTool lake 'SELECT ... FROM raw_data ...'} on the lake through DuckDB.
 * Numbers print as stored (230.85, not 230.84999999999997), in plain text (no colour codes).
 */
public final class QueryTool {

    private QueryTool() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("table") || args[0].equals("lake"))) {
            System.err.println("usage: QueryTool table|lake \"SQL\"   (data directory: -Ddata.dir, default ./data)");
            System.exit(2);
        }
        run(args[0], args[1], Path.of(System.getProperty("data.dir", "data")), System.out);
    }

    /** Runs one query on the table or the lake under {@code dataDir} and prints the result as a text table. */
    public static void run(String store, String sql, Path dataDir, PrintStream out) throws SQLException {
        try (Connection c = store.equals("table") ? table(dataDir) : lake(dataDir);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            print(rs, out);
        }
    }

    /**
     * A value as text. Doubles get at most 15 significant digits, what a double holds exactly, so a stored 230.85
     * (or an average that lands a bit beside it) prints as 230.85, and a whole number as 208; decimals are plain.
     */
    static String text(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                return value.toString();
            }
            int digits = value instanceof Float ? 7 : 15;
            return new BigDecimal(d).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
        }
        if (value instanceof BigDecimal b) {
            return b.toPlainString();
        }
        return value.toString();
    }

    private static Connection table(Path dataDir) throws SQLException {
        Path db = dataDir.resolve("quotes.db");
        if (!Files.exists(db)) {
            throw new IllegalStateException(db + " does not exist yet: start the pipeline first");
        }
        return DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro", new java.util.Properties());
    }

    /**
     * An in-memory DuckDB with the views {@code raw_data} over the lake's JSON Lines and {@code curated} over the Parquet
     * copy the report compacts, partitions included: the very
     * view the local report uses ({@link DuckDbCatalogRefresher}, the one place its SQL is written).
     */
    private static Connection lake(Path dataDir) {
        DuckDbLake duckDb = new DuckDbLake();
        new DuckDbCatalogRefresher(duckDb, dataDir.resolve("raw")).refresh();
        return duckDb.connection();
    }

    private static void print(ResultSet rs, PrintStream out) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[n];
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            header[i] = md.getColumnLabel(i + 1);
            width[i] = header[i].length();
        }
        while (rs.next()) {
            String[] row = new String[n];
            for (int i = 0; i < n; i++) {
                row[i] = text(rs.getObject(i + 1));
                width[i] = Math.max(width[i], row[i].length());
            }
            rows.add(row);
        }
        out.println(line(header, width));
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("-".repeat(w)).append("  ");
        }
        out.println(rule.toString().stripTrailing());
        for (String[] row : rows) {
            out.println(line(row, width));
        }
        out.println("(" + rows.size() + " row" + (rows.size() == 1 ? ")" : "s)"));
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            b.append(String.format("%-" + width[i] + "s  ", cells[i]));
        }
        return b.toString().stripTrailing();
    }
}
