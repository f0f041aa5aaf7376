package dev.quotestream.local;

import dev.quotestream.core.CheckpointStore;
import org.apache.camel.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The local profile's stream: an append-only log in its own SQLite file ({@code ${data.dir}/stream.db}, WAL, every
 * append committed before the producer returns), read in order per shard, with a checkpoint per shard. Like Kinesis:
 * a record keeps its shard and sequence number, a consumer resumes after its checkpoint, and what was appended is on
 * disk, so a stop or a crash loses nothing that was queued. Records at or before a checkpoint are trimmed after
 * the retention period.
 */
public class LocalStreamLog implements CheckpointStore, Service {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStreamLog.class);

    /** One record as stored: its shard ({@code shardId-000000000000}) and sequence number. */
    public record Entry(String shard, long sequence, String partitionKey, byte[] data, Instant arrival) {
    }

    /** A record to append. */
    public record Append(String partitionKey, byte[] data) {
    }

    private final Path file;
    private final String stream;
    private final int shards;
    private final Duration retention;
    private Connection connection;

    public LocalStreamLog(Path file, String stream, int shards, Duration retention) {
        this.file = file;
        this.stream = stream;
        this.shards = shards;
        this.retention = retention;
    }

    public String stream() {
        return stream;
    }

    public int shards() {
        return shards;
    }

    public static String shardId(int shard) {
        return String.format("shardId-%012d", shard);
    }

    /** Kinesis maps a partition key to a shard by its MD5 hash; here the key's hash modulo the shard count. */
    public String shardOf(String partitionKey) {
        return shardId(Math.floorMod(partitionKey == null ? 0 : partitionKey.hashCode(), shards));
    }

    @Override
    public synchronized void start() {
        if (connection != null) {
            return;
        }
        connection = LocalFiles.openSqlite(file, "the local stream", "synchronous=FULL", "busy_timeout=10000");
        try {
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS records (sequence INTEGER PRIMARY KEY AUTOINCREMENT, "
                        + "stream TEXT NOT NULL, shard TEXT NOT NULL, partition_key TEXT, data BLOB NOT NULL, "
                        + "arrival_ms INTEGER NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS records_by_shard ON records (stream, shard, sequence)");
                s.execute("CREATE TABLE IF NOT EXISTS checkpoints (stream TEXT NOT NULL, shard TEXT NOT NULL, "
                        + "sequence_number TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (stream, shard))");
            }
            LOG.info("Local stream {}: SQLite log at {} ({} shard(s))", stream, file.toAbsolutePath(), shards);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the local stream " + file + ": " + e.getMessage(), e);
        }
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

    private Connection open() {
        if (connection == null) {
            start();
        }
        return connection;
    }

    /** Appends the records in one transaction: on return they are on disk. */
    public synchronized List<Long> append(List<Append> records) throws SQLException {
        Connection c = open();
        List<Long> sequences = new ArrayList<>();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO records (stream, shard, partition_key, data, "
                + "arrival_ms) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            long now = System.currentTimeMillis();
            for (Append r : records) {
                ps.setString(1, stream);
                ps.setString(2, shardOf(r.partitionKey()));
                ps.setString(3, r.partitionKey());
                ps.setBytes(4, r.data());
                ps.setLong(5, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    sequences.add(keys.next() ? keys.getLong(1) : -1L);
                }
            }
            c.commit();
            return sequences;
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the append failed anyway
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Up to {@code limit} records of a shard after {@code afterSequence}, in order. */
    public synchronized List<Entry> read(String shard, long afterSequence, int limit) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = open().prepareStatement("SELECT sequence, partition_key, data, arrival_ms "
                + "FROM records WHERE stream = ? AND shard = ? AND sequence > ? ORDER BY sequence LIMIT ?")) {
            ps.setString(1, stream);
            ps.setString(2, shard);
            ps.setLong(3, afterSequence);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(shard, rs.getLong(1), rs.getString(2), rs.getBytes(3),
                            Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
        }
        return out;
    }

    @Override
    public synchronized String load(String shard) {
        try (PreparedStatement ps = open().prepareStatement(
                "SELECT sequence_number FROM checkpoints WHERE stream = ? AND shard = ?")) {
            ps.setString(1, stream);
            ps.setString(2, shard);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the checkpoint of " + shard + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void save(String shard, String sequence) {
        try (PreparedStatement ps = open().prepareStatement("INSERT OR REPLACE INTO checkpoints "
                + "(stream, shard, sequence_number, updated_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, stream);
            ps.setString(2, shard);
            ps.setString(3, sequence);
            ps.setString(4, Instant.now().toString());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the checkpoint of " + shard + ": " + e.getMessage(), e);
        }
        trim(shard, Long.parseLong(sequence));
    }

    /** Records at or before the checkpoint, older than the retention: nothing will read them again. */
    private void trim(String shard, long checkpoint) {
        try (PreparedStatement ps = open().prepareStatement("DELETE FROM records WHERE stream = ? AND shard = ? "
                + "AND sequence <= ? AND arrival_ms < ?")) {
            ps.setString(1, stream);
            ps.setString(2, shard);
            ps.setLong(3, checkpoint);
            ps.setLong(4, System.currentTimeMillis() - retention.toMillis());
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("Trimming the local stream failed (kept for now): {}", e.getMessage());
        }
    }

    /** Records not yet read past the checkpoints (for tests and logs). */
    public synchronized long backlog() throws SQLException {
        long n = 0;
        for (int i = 0; i < shards; i++) {
            String shard = shardId(i);
            String cp = load(shard);
            try (PreparedStatement ps = open().prepareStatement(
                    "SELECT COUNT(*) FROM records WHERE stream = ? AND shard = ? AND sequence > ?")) {
                ps.setString(1, stream);
                ps.setString(2, shard);
                ps.setLong(3, cp == null ? 0 : Long.parseLong(cp));
                try (ResultSet rs = ps.executeQuery()) {
                    n += rs.next() ? rs.getLong(1) : 0;
                }
            }
        }
        return n;
    }

}
