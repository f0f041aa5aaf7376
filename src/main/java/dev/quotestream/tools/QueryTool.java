package dev.quotestream.tools;

import dev.quotestream.report.DuckDbCatalogRefresher;
import dev.quotestream.report.DuckDbLake;

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
 * Queries the local data with nothing but the JDK and Maven, also while the pipeline runs:
 * {@code mvn -q exec:java -Dexec.args="table 'SELECT ...'"} on the SQLite table, or
 * {@code mvn -q exec:java -Dexec.args="lake 'SELECT ... FROM raw_data ...'"} on the lake through DuckDB.
 */
public final class QueryTool {

    private QueryTool() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("table") || args[0].equals("lake"))) {
            System.err.println("usage: QueryTool table|lake \"SQL\"   (data directory: -Ddata.dir, default ./data)");
            System.exit(2);
        }
        Path dataDir = Path.of(System.getProperty("data.dir", "data"));
        try (Connection c = args[0].equals("table") ? table(dataDir) : lake(dataDir);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(args[1])) {
            print(rs);
        }
    }

    private static Connection table(Path dataDir) throws SQLException {
        Path db = dataDir.resolve("quotes.db");
        if (!Files.exists(db)) {
            throw new IllegalStateException(db + " does not exist yet: start the pipeline first (mvn compile camel:run)");
        }
        return DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro", new java.util.Properties());
    }

    /**
     * An in-memory DuckDB with the view {@code raw_data} over the lake's JSON Lines, partitions included: the very
     * view the local report uses ({@link DuckDbCatalogRefresher}, the one place its SQL is written).
     */
    private static Connection lake(Path dataDir) {
        DuckDbLake duckDb = new DuckDbLake();
        new DuckDbCatalogRefresher(duckDb, dataDir.resolve("raw")).refresh();
        return duckDb.connection();
    }

    private static void print(ResultSet rs) throws SQLException {
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
                Object v = rs.getObject(i + 1);
                row[i] = v == null ? "NULL" : v.toString();
                width[i] = Math.max(width[i], row[i].length());
            }
            rows.add(row);
        }
        System.out.println(line(header, width));
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append("-".repeat(w)).append("  ");
        }
        System.out.println(rule.toString().stripTrailing());
        for (String[] row : rows) {
            System.out.println(line(row, width));
        }
        System.out.println("(" + rows.size() + " row" + (rows.size() == 1 ? ")" : "s)"));
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            b.append(String.format("%-" + width[i] + "s  ", cells[i]));
        }
        return b.toString().stripTrailing();
    }
}
