package dev.quotestream.local;

import dev.quotestream.core.AlertOutbox;
import dev.quotestream.core.PendingAlert;
import dev.quotestream.core.TableWriter;
import dev.quotestream.core.metrics.AlertState;
import dev.quotestream.core.metrics.ProcessedQuote;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The local table: an SQLite file in WAL mode, so that {@code sqlite3} can query it while the pipeline
 * writes. Table {@code quotes} has the DynamoDB item's attribute names and key (symbol, timestamp);
 * {@link #put} replaces a whole row like PutItem. Table {@code alert_state} holds alert de-duplication, and
 * {@code alert_outbox} the alerts decided but not yet published: a state flip and its alert are one transaction.
 */
public class LocalTable implements AlertOutbox, TableWriter, Service {

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
        connection = LocalFiles.openSqlite(file, "the local table", "busy_timeout=3000");
        try {
            try (Statement s = connection.createStatement()) {
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
                s.execute("CREATE TABLE IF NOT EXISTS alert_outbox ("
                        + "symbol TEXT NOT NULL, trading_day TEXT NOT NULL, crossing INTEGER NOT NULL, "
                        + "alert TEXT NOT NULL, PRIMARY KEY (symbol, trading_day, crossing))");
            }
            LOG.info("Local table: SQLite (WAL) at {}", file.toAbsolutePath());
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

    private static final String UPSERT = "INSERT OR REPLACE INTO quotes (" + COLUMNS + ") VALUES ("
            + "?,".repeat(ProcessedQuote.ATTRIBUTES.size() - 1) + "?)";

    /** PutItem semantics: the row for (symbol, timestamp) is replaced whole. */
    public synchronized void put(Map<String, Object> item) throws SQLException {
        try (PreparedStatement ps = open().prepareStatement(UPSERT)) {
            bind(ps, item);
            ps.executeUpdate();
        }
    }

    /**
     * A batch's rows in one transaction: one commit (one fsync of the WAL) for the whole batch instead of one per
     * row. An item the table cannot take (a missing attribute) fails alone: it is left out, the others are written.
     * A failure of the transaction itself (a locked or unwritable file) fails every row of the batch: none is written.
     */
    @Override
    public synchronized List<RuntimeException> write(List<ProcessedQuote> quotes) {
        RuntimeException[] results = new RuntimeException[quotes.size()];
        Connection c = open();
        try {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                for (int i = 0; i < quotes.size(); i++) {
                    try {
                        bind(ps, quotes.get(i).toAttributes());
                    } catch (IllegalArgumentException invalid) {
                        results[i] = invalid;
                        ps.clearParameters();
                        continue;
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            rollback(c);
            IllegalStateException notWritten = new IllegalStateException("cannot write " + quotes.size()
                    + " rows to the local table: " + e.getMessage(), e);
            java.util.Arrays.fill(results, notWritten);
        } finally {
            autoCommit(c);
        }
        return java.util.Arrays.asList(results);
    }

    private static void bind(PreparedStatement ps, Map<String, Object> item) throws SQLException {
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
    }

    @Override
    public synchronized AlertState load(String symbol, String tradingDay) {
        try (PreparedStatement ps = open().prepareStatement(
                "SELECT in_anomaly, crossings, last_timestamp FROM alert_state WHERE symbol = ? AND trading_day = ?")) {
            ps.setString(1, symbol);
            ps.setString(2, tradingDay);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new AlertState(symbol, tradingDay, rs.getInt(1) == 1, rs.getInt(2), rs.getString(3),
                        pendingOf(symbol, tradingDay)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read alert state of " + symbol + ": " + e.getMessage(), e);
        }
    }

    private TreeMap<Integer, String> pendingOf(String symbol, String tradingDay) throws SQLException {
        TreeMap<Integer, String> pending = new TreeMap<>();
        try (PreparedStatement ps = open().prepareStatement(
                "SELECT crossing, alert FROM alert_outbox WHERE symbol = ? AND trading_day = ?")) {
            ps.setString(1, symbol);
            ps.setString(2, tradingDay);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        return pending;
    }

    @Override
    public synchronized boolean replace(AlertState expected, AlertState next, List<PendingAlert> alerts) {
        return replaceAll(List.of(new Change(expected, next, alerts))).isEmpty();
    }

    /** Every change in one transaction (one commit for a batch); each is conditional on its own. */
    @Override
    public synchronized java.util.Set<String> replaceAll(List<Change> changes) {
        Connection c = open();
        java.util.Set<String> conflicts = new java.util.LinkedHashSet<>();
        try {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT OR IGNORE INTO alert_state "
                    + "(in_anomaly, crossings, last_timestamp, symbol, trading_day) VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement update = c.prepareStatement("UPDATE alert_state SET in_anomaly = ?, crossings = ?, "
                         + "last_timestamp = ? WHERE symbol = ? AND trading_day = ? AND last_timestamp IS ?");
                 PreparedStatement outbox = c.prepareStatement("INSERT OR REPLACE INTO alert_outbox "
                         + "(symbol, trading_day, crossing, alert) VALUES (?, ?, ?, ?)")) {
                for (Change change : changes) {
                    AlertState next = change.next();
                    PreparedStatement ps = change.expected() == null ? insert : update;
                    if (change.expected() != null) {
                        ps.setString(6, change.expected().lastTimestamp());
                    }
                    ps.setInt(1, next.inAnomaly() ? 1 : 0);
                    ps.setInt(2, next.crossings());
                    ps.setString(3, next.lastTimestamp());
                    ps.setString(4, next.symbol());
                    ps.setString(5, next.tradingDay());
                    if (ps.executeUpdate() != 1) {
                        conflicts.add(change.key());
                        continue;
                    }
                    for (PendingAlert alert : change.alerts()) {
                        outbox.setString(1, alert.symbol());
                        outbox.setString(2, alert.tradingDay());
                        outbox.setInt(3, alert.crossing());
                        outbox.setString(4, alert.json());
                        outbox.executeUpdate();
                    }
                }
            }
            c.commit();
            return conflicts;
        } catch (SQLException e) {
            rollback(c);
            throw new IllegalStateException("cannot store the alert state of " + changes.size() + " symbol-day(s): "
                    + e.getMessage(), e);
        } finally {
            autoCommit(c);
        }
    }

    /** Every alert in one transaction (one commit for a batch's alerts). */
    @Override
    public synchronized void markSent(List<PendingAlert> alerts) {
        Connection c = open();
        try {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM alert_outbox WHERE symbol = ? AND trading_day = ? AND crossing = ?")) {
                for (PendingAlert alert : alerts) {
                    ps.setString(1, alert.symbol());
                    ps.setString(2, alert.tradingDay());
                    ps.setInt(3, alert.crossing());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            rollback(c);
            throw new IllegalStateException("cannot mark " + alerts.size() + " alert(s) sent, the first "
                    + alerts.get(0).key() + ": " + e.getMessage(), e);
        } finally {
            autoCommit(c);
        }
    }

    @Override
    public synchronized List<PendingAlert> pending(Collection<String> symbols, String fromDay, String toDay) {
        List<PendingAlert> out = new ArrayList<>();
        try (PreparedStatement ps = open().prepareStatement("SELECT symbol, trading_day, crossing, alert "
                + "FROM alert_outbox WHERE symbol = ? AND trading_day BETWEEN ? AND ? ORDER BY trading_day, crossing")) {
            for (String symbol : symbols) {
                ps.setString(1, symbol);
                ps.setString(2, fromDay);
                ps.setString(3, toDay);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new PendingAlert(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the alert outbox: " + e.getMessage(), e);
        }
        return out;
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the transaction is gone with it
        }
    }

    private static void autoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // next use reports it
        }
    }

    private Connection open() {
        if (connection == null) {
            start();
        }
        return connection;
    }
}
