package dev.quotestream.dashboard.local;

import dev.quotestream.dashboard.AlertJson;
import dev.quotestream.dashboard.AlertLog;
import dev.quotestream.dashboard.TableValues;
import dev.quotestream.dashboard.TimeBounds;
import org.apache.camel.Service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The alert log of the local profile: table {@code alert_log} in the local table's SQLite file, one row per
 * alert keyed by (timestamp, symbol, crossing), the alert message kept as sent (JSON text).
 */
public class SqliteAlertLog implements AlertLog, Service {

    private final Path file;
    private Connection writer;

    public SqliteAlertLog(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void start() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            writer = SqliteFiles.readWrite(file);
            try (Statement s = writer.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS alert_log (timestamp TEXT NOT NULL, symbol TEXT NOT NULL, "
                        + "crossing INTEGER NOT NULL, alert TEXT NOT NULL, logged_at TEXT NOT NULL, "
                        + "PRIMARY KEY (timestamp, symbol, crossing))");
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the alert log in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stop() {
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException ignored) {
                // closing on shutdown
            }
            writer = null;
        }
    }

    /** One transaction: one commit for a batch's alerts. */
    @Override
    public synchronized void appendAll(List<String> alertJsons) throws SQLException {
        if (writer == null) {
            start();
        }
        String loggedAt = Instant.now().toString();
        writer.setAutoCommit(false);
        try (PreparedStatement ps = writer.prepareStatement("INSERT OR REPLACE INTO alert_log "
                + "(timestamp, symbol, crossing, alert, logged_at) VALUES (?, ?, ?, ?, ?)")) {
            for (String alertJson : alertJsons) {
                Map<String, Object> alert = AlertJson.parse(alertJson);
                ps.setString(1, (String) alert.get("timestamp"));
                ps.setString(2, (String) alert.get("symbol"));
                ps.setInt(3, ((Number) alert.get("crossing")).intValue());
                ps.setString(4, alertJson);
                ps.setString(5, loggedAt);
                ps.addBatch();
            }
            ps.executeBatch();
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                writer.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the transaction is gone with it
            }
            throw e;
        } finally {
            writer.setAutoCommit(true);
        }
    }

    @Override
    public List<Map<String, Object>> since(Instant since, int limit) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (Connection c = SqliteFiles.readOnly(file); PreparedStatement ps = c.prepareStatement(
                "SELECT alert FROM alert_log WHERE timestamp >= ? ORDER BY timestamp DESC, symbol, crossing LIMIT ?")) {
            ps.setString(1, TimeBounds.lower(since));
            ps.setInt(2, limit);
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(TableValues.alert(AlertJson.read(rs.getString(1))));
                }
            }
            return out;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such table")) {
                return List.of();
            }
            throw new IllegalStateException("cannot read the alert log: " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable alert in the alert log: " + e.getMessage(), e);
        }
    }
}
