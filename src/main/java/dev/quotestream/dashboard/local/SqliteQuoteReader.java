package dev.quotestream.dashboard.local;

import dev.quotestream.dashboard.QuoteReader;
import dev.quotestream.dashboard.TableValues;
import dev.quotestream.dashboard.TimeBounds;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the local table ({@code quotes} in the SQLite file the pipeline writes, WAL mode) on a read-only
 * connection of its own, so the dashboard never waits for, or blocks, the writer.
 */
public class SqliteQuoteReader implements QuoteReader {

    private final Path file;

    public SqliteQuoteReader(Path file) {
        this.file = file;
    }

    @Override
    public List<Map<String, Object>> quotes(String symbol, Instant from, Instant to, int limit) {
        return query("SELECT * FROM quotes WHERE symbol = ? AND timestamp >= ? AND timestamp <= ? "
                + "ORDER BY timestamp LIMIT ?", symbol, TimeBounds.lower(from), TimeBounds.upper(to), limit);
    }

    @Override
    public Optional<Map<String, Object>> latest(String symbol) {
        return query("SELECT * FROM quotes WHERE symbol = ? ORDER BY timestamp DESC LIMIT 1", symbol)
                .stream().findFirst();
    }

    private List<Map<String, Object>> query(String sql, Object... args) {
        if (!java.nio.file.Files.exists(file)) {
            return List.of(); // nothing stored yet
        }
        try (Connection c = SqliteFiles.readOnly(file); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.put(md.getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(TableValues.quote(row));
                }
            }
            return rows;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such table")) {
                return List.of();
            }
            throw new IllegalStateException("cannot read the local table: " + e.getMessage(), e);
        }
    }
}
