package dev.quotestream.reliability;

import dev.quotestream.pipeline.LocalData;
import dev.quotestream.pipeline.PipelineRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One local-profile scenario on its own data directory: the durable local stream ({@code stream.db}) says what came
 * in; the table, the lake files, the dead letters and {@code alerts/alerts.jsonl} what was done with it. The same
 * invariants as {@link AwsScenario}, read from the files.
 */
final class LocalScenario {

    final Path data;
    private final LocalData at;

    LocalScenario(Path data) {
        this.data = data;
        this.at = new LocalData(data);
    }

    /** The local profile with the simulator, fast ticks and flushes, no dashboard. */
    Map<String, String> properties() throws IOException {
        Map<String, String> p = new LinkedHashMap<>(PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort()));
        p.put("dashboard.enabled", "false");
        p.put("camel.main.name", dev.quotestream.testing.LoopbackAws.uniqueName("qp-local"));
        p.put("report.schedule-enabled", "false");
        p.put("pipeline.redelivery-delay-ms", "100");
        p.put("pipeline.max-redelivery-delay-ms", "1000");
        p.put("pipeline.retry-error-after-ms", "10000");
        return p;
    }

    private Connection stream() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("stream.db"));
        c.createStatement().execute("PRAGMA busy_timeout=10000");
        return c;
    }

    /** Records the stream holds (nothing is trimmed within a test's day). */
    int recordsIn() {
        if (!Files.exists(data.resolve("stream.db"))) {
            return 0;
        }
        try (Connection c = stream(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM records")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends records to the stream as another writer would (the app may be running: SQLite WAL). */
    void append(String partitionKey, byte[] data) {
        try (Connection c = stream(); PreparedStatement ps = c.prepareStatement("INSERT INTO records "
                + "(stream, shard, partition_key, data, arrival_ms) VALUES ('quotes', ?, ?, ?, ?)")) {
            ps.setString(1, "shardId-000000000000");
            ps.setString(2, partitionKey);
            ps.setBytes(3, data);
            ps.setLong(4, System.currentTimeMillis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True once every record of the stream is behind its checkpoint: all final. */
    boolean drained() {
        try (Connection c = stream(); ResultSet rs = c.createStatement().executeQuery("SELECT (SELECT MAX(sequence) "
                + "FROM records), (SELECT MAX(CAST(sequence_number AS INTEGER)) FROM checkpoints)")) {
            return rs.next() && rs.getLong(1) > 0 && rs.getLong(1) == rs.getLong(2);
        } catch (SQLException e) {
            return false;
        }
    }

    int rows() {
        try {
            return Files.exists(data.resolve("quotes.db")) ? at.query("SELECT COUNT(*) AS n FROM quotes").get(0).get("n")
                    instanceof Number n ? n.intValue() : 0 : 0;
        } catch (IllegalStateException busy) {
            return -1;
        }
    }

    List<Map<String, Object>> table() {
        return at.query("SELECT symbol, timestamp, anomaly, exchange_timezone FROM quotes ORDER BY symbol, timestamp");
    }

    List<String> lakeKeys() {
        List<String> keys = new ArrayList<>();
        at.lakeRecords().forEach(m -> keys.add(m.get("symbol") + "|" + m.get("timestamp")));
        return keys;
    }

    List<Path> deadLetterFiles() {
        List<Path> files = new ArrayList<>(at.files("dead-letter", "**/*.json"));
        files.addAll(at.files("dead-letter-fallback", "**/*.json"));
        return files;
    }

    List<String> alertKeys() {
        List<String> keys = new ArrayList<>();
        at.alerts().forEach(a -> keys.add((String) a.get("alert_key")));
        return keys;
    }

    /** Crossings of the stored quotes (per symbol and exchange-local day), as alert keys. */
    Set<String> expectedAlertKeys(List<Map<String, Object>> rows) {
        Set<String> keys = new TreeSet<>();
        Map<String, Boolean> in = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (Map<String, Object> r : rows) {
            String day = Instant.parse((String) r.get("timestamp")).atZone(ZoneId.of((String) r.get("exchange_timezone")))
                    .toLocalDate().toString();
            String symbolDay = r.get("symbol") + "|" + day;
            boolean anomaly = ((Number) r.get("anomaly")).intValue() == 1;
            if (anomaly && !in.getOrDefault(symbolDay, false)) {
                keys.add(symbolDay + "|" + count.merge(symbolDay, 1, Integer::sum));
            }
            in.put(symbolDay, anomaly);
        }
        return keys;
    }

    /** Files that must never be left: empty ones, and temporary ones of an interrupted write. */
    List<Path> brokenFiles() {
        try (Stream<Path> files = Files.walk(data)) {
            return files.filter(Files::isRegularFile).filter(p -> {
                String name = p.getFileName().toString();
                if (name.endsWith(".inprogress")) {
                    return true;
                }
                try {
                    return Files.size(p) == 0 && !name.endsWith("-shm") && !name.endsWith("-wal") && !name.endsWith(".db");
                } catch (IOException e) {
                    return false;
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    AwsScenario.Invariants invariants() {
        List<Map<String, Object>> rows = table();
        List<String> lake = lakeKeys();
        Set<String> lakeSet = new TreeSet<>(lake);
        List<String> missing = new ArrayList<>();
        rows.forEach(r -> {
            String key = r.get("symbol") + "|" + r.get("timestamp");
            if (!lakeSet.contains(key)) {
                missing.add(key);
            }
        });
        List<String> alerts = alertKeys();
        Set<String> delivered = new TreeSet<>(alerts);
        Set<String> expected = expectedAlertKeys(rows);
        List<String> lost = expected.stream().filter(k -> !delivered.contains(k)).toList();
        long pending = at.query("SELECT COUNT(*) AS n FROM alert_outbox").get(0).get("n") instanceof Number n ? n.longValue() : 0;
        // Record by record: stored (its quote's key is a row) or dead-lettered (a dead letter named by its position).
        Set<String> rowKeys = new TreeSet<>();
        rows.forEach(r -> rowKeys.add(r.get("symbol") + "|" + r.get("timestamp")));
        Set<String> deadNames = new TreeSet<>();
        deadLetterFiles().forEach(f -> deadNames.add(f.getFileName().toString()));
        int in = 0;
        int stored = 0;
        int dead = 0;
        Set<String> storedKeys = new TreeSet<>();
        try (Connection c = stream(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT shard, sequence, data FROM records ORDER BY sequence")) {
            while (rs.next()) {
                in++;
                if (deadNames.contains(rs.getString(1) + "-" + rs.getLong(2) + ".json")) {
                    dead++;
                    continue;
                }
                String key = key(rs.getBytes(3));
                if (key != null && rowKeys.contains(key)) {
                    stored++;
                    storedKeys.add(key);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new AwsScenario.Invariants(in, stored, rows.size(), storedKeys.size(), dead,
                at.files("dead-letter-fallback", "**/*.json").size(), lake.size(), missing, expected.size(),
                alerts.size(), alerts.size() - delivered.size(), lost, pending);
    }

    private static String key(byte[] record) {
        try {
            Map<?, ?> m = new com.fasterxml.jackson.databind.ObjectMapper().readValue(record, Map.class);
            return m.get("symbol") + "|" + m.get("timestamp");
        } catch (IOException notAQuote) {
            return null;
        }
    }

    /** Records stored that have no lake line yet (what a crash at this moment could have lost before issue 9). */
    int storedNotInLake() {
        Set<String> lake = new TreeSet<>(lakeKeys());
        return (int) table().stream().filter(r -> !lake.contains(r.get("symbol") + "|" + r.get("timestamp"))).count();
    }
}
