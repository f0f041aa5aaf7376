package dev.quotestream.local;

import dev.quotestream.metrics.AlertState;
import dev.quotestream.metrics.ProcessedQuote;
import dev.quotestream.pipeline.AlertStateStore;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The local table: an SQLite file in WAL mode, so that {@code sqlite3} can query it while the pipeline
 * writes. Table {@code quotes} has the DynamoDB item's attribute names and key (symbol, timestamp);
 * {@link #put} replaces a whole row like PutItem. Table {@code alert_state} holds alert de-duplication.
 */
public class LocalTable implements AlertStateStore, Service {

    private static final Logger LOG = LoggerFactory.getLogger(LocalTable.class);
    private static final String COLUMNS = String.join(", ", ProcessedQuote.ATTRIBUTES);

    private final Path file;
    private Connection connection;

    public LocalTable(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void start() {
        if (connection != null) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("CREATE TABLE IF NOT EXISTS quotes ("
                        + "symbol TEXT NOT NULL, timestamp TEXT NOT NULL, open NUMERIC NOT NULL, "
                        + "high NUMERIC NOT NULL, low NUMERIC NOT NULL, price NUMERIC NOT NULL, "
                        + "volume INTEGER NOT NULL, previous_close NUMERIC NOT NULL, change NUMERIC NOT NULL, "
                        + "change_percent NUMERIC NOT NULL, moving_avg NUMERIC NOT NULL, "
                        + "anomaly INTEGER NOT NULL CHECK (anomaly IN (0, 1)), "
                        + "currency TEXT, exchange_timezone TEXT, "
                        + "PRIMARY KEY (symbol, timestamp))");
                addColumnIfMissing(s, "currency TEXT");
                addColumnIfMissing(s, "exchange_timezone TEXT");
                s.execute("CREATE TABLE IF NOT EXISTS alert_state ("
                        + "symbol TEXT NOT NULL, trading_day TEXT NOT NULL, in_anomaly INTEGER NOT NULL, "
                        + "crossings INTEGER NOT NULL, last_timestamp TEXT, "
                        + "PRIMARY KEY (symbol, trading_day))");
            }
            LOG.info("Local table: SQLite (WAL) at {}", file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory for " + file, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the local table " + file + ": " + e.getMessage(), e);
        }
    }

    /** Tables created before a column joined the contract get it added (older rows keep NULL). */
    private static void addColumnIfMissing(Statement s, String column) throws SQLException {
        String name = column.substring(0, column.indexOf(' '));
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM pragma_table_info('quotes') WHERE name = '" + name + "'")) {
            if (rs.next()) {
                return;
            }
        }
        s.execute("ALTER TABLE quotes ADD COLUMN " + column);
    }

    @Override
    public synchronized void stop() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("Closing {} failed: {}", file, e.getMessage());
            }
            connection = null;
        }
    }

    /** PutItem semantics: the row for (symbol, timestamp) is replaced whole. */
    public synchronized void put(Map<String, Object> item) throws SQLException {
        String marks = "?,".repeat(ProcessedQuote.ATTRIBUTES.size() - 1) + "?";
        try (PreparedStatement ps = open().prepareStatement(
                "INSERT OR REPLACE INTO quotes (" + COLUMNS + ") VALUES (" + marks + ")")) {
            int i = 1;
            for (String attribute : ProcessedQuote.ATTRIBUTES) {
                Object value = item.get(attribute);
                if (value == null && !attribute.equals("currency")) {
                    throw new IllegalArgumentException("table item lacks '" + attribute + "': " + item);
                }
                if (value instanceof Boolean b) {
                    ps.setInt(i++, b ? 1 : 0);
                } else if (value instanceof BigDecimal d) {
                    ps.setBigDecimal(i++, d);
                } else {
                    ps.setObject(i++, value);
                }
            }
            ps.executeUpdate();
        }
    }

    @Override
    public synchronized AlertState load(String symbol, String tradingDay) {
        try (PreparedStatement ps = open().prepareStatement(
                "SELECT in_anomaly, crossings, last_timestamp FROM alert_state WHERE symbol = ? AND trading_day = ?")) {
            ps.setString(1, symbol);
            ps.setString(2, tradingDay);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? new AlertState(symbol, tradingDay, rs.getInt(1) == 1, rs.getInt(2), rs.getString(3))
                        : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read alert state of " + symbol + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean replace(AlertState expected, AlertState next) {
        try {
            PreparedStatement ps;
            if (expected == null) {
                ps = open().prepareStatement("INSERT OR IGNORE INTO alert_state "
                        + "(in_anomaly, crossings, last_timestamp, symbol, trading_day) VALUES (?, ?, ?, ?, ?)");
            } else {
                ps = open().prepareStatement("UPDATE alert_state SET in_anomaly = ?, crossings = ?, "
                        + "last_timestamp = ? WHERE symbol = ? AND trading_day = ? AND last_timestamp IS ?");
                ps.setString(6, expected.lastTimestamp());
            }
            try (ps) {
                ps.setInt(1, next.inAnomaly() ? 1 : 0);
                ps.setInt(2, next.crossings());
                ps.setString(3, next.lastTimestamp());
                ps.setString(4, next.symbol());
                ps.setString(5, next.tradingDay());
                return ps.executeUpdate() == 1;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store alert state of " + next.symbol() + ": " + e.getMessage(), e);
        }
    }

    private Connection open() {
        if (connection == null) {
            start();
        }
        return connection;
    }
}
