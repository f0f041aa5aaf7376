package dev.quotestream.report;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Runs a report query on DuckDB with JDBC parameters; values come back as text, like Athena's. */
public class DuckDbSqlExecutor implements SqlExecutor {

    private final DuckDbLake duckDb;

    public DuckDbSqlExecutor(DuckDbLake duckDb) {
        this.duckDb = duckDb;
    }

    @Override
    public QueryResult query(String sql, List<Object> parameters) {
        Connection connection = duckDb.connection();
        synchronized (duckDb) {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.size(); i++) {
                    bind(ps, i + 1, parameters.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    List<String> columns = new ArrayList<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        columns.add(meta.getColumnLabel(c));
                    }
                    List<List<String>> rows = new ArrayList<>();
                    while (rs.next()) {
                        List<String> row = new ArrayList<>(columns.size());
                        for (int c = 1; c <= columns.size(); c++) {
                            Object v = rs.getObject(c);
                            row.add(v == null ? null : v.toString());
                        }
                        rows.add(row);
                    }
                    return new QueryResult(columns, rows);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("DuckDB query failed: " + e.getMessage() + "\n" + sql, e);
            }
        }
    }

    static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value instanceof LocalDate d) {
            ps.setString(index, d.toString());
        } else if (value instanceof String s) {
            ps.setString(index, s);
        } else if (value instanceof BigDecimal n) {
            ps.setDouble(index, n.doubleValue());
        } else if (value instanceof Long || value instanceof Integer) {
            ps.setLong(index, ((Number) value).longValue());
        } else if (value instanceof Double n) {
            ps.setDouble(index, n);
        } else {
            throw new IllegalArgumentException("unsupported query parameter type: "
                    + (value == null ? "null" : value.getClass().getName()));
        }
    }
}
