package dev.quotestream.tools;

import dev.quotestream.report.DuckDbCatalogRefresher;
import dev.quotestream.report.DuckDbLake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A lake in the old layout (unescaped ticker values) is unreadable by DuckDB; after the migration it is read whole. */
class LakeMigrationTest {

    private static void line(Path raw, String dt, String dir, String symbol, double price) throws Exception {
        Path p = raw.resolve("dt=" + dt).resolve("ticker=" + dir);
        Files.createDirectories(p);
        Files.writeString(p.resolve("part-" + System.nanoTime() + ".json"), "{\"symbol\":\"" + symbol + "\",\"price\":" + price + "}\n");
    }

    @Test
    void theOldLayoutIsMovedToEscapedPartitionsAndDuckDbReadsItAgain(@TempDir Path data) throws Exception {
        Path raw = data.resolve("raw");
        line(raw, "2026-11-24", "EURUSD=X", "EURUSD=X", 1.1);
        line(raw, "2026-11-24", "^GSPC", "^GSPC", 5900.5);
        line(raw, "2026-11-24", "BRK-B", "BRK-B", 500.1);
        line(raw, "2026-11-25", "GC=F", "GC=F", 2650.0);
        line(raw, "2026-11-25", "GC%3DF", "GC=F", 2651.0);  // written after the upgrade: merged with the old one
        line(raw, "2026-11-25", "7203.T", "7203.T", 2900.0);

        // Before: the '=' in a partition value breaks every query of the lake.
        DuckDbLake before = new DuckDbLake();
        assertThatThrownBy(() -> new DuckDbCatalogRefresher(before, raw).refresh()).hasMessageContaining("cannot create the raw_data view");
        before.stop();

        assertThat(LakeMigration.migrateLocal(raw, true)).containsExactly(
                "dt=2026-11-24/ticker=EURUSD=X -> dt=2026-11-24/ticker=EURUSD%3DX",
                "dt=2026-11-24/ticker=^GSPC -> dt=2026-11-24/ticker=%5EGSPC",
                "dt=2026-11-25/ticker=GC=F -> dt=2026-11-25/ticker=GC%3DF");
        assertThat(Files.exists(raw.resolve("dt=2026-11-24/ticker=EURUSD=X"))).as("dry run moves nothing").isTrue();
        assertThat(LakeMigration.migrateLocal(raw, false)).hasSize(3);
        assertThat(LakeMigration.migrateLocal(raw, false)).as("idempotent").isEmpty();

        Map<String, Integer> rows = new TreeMap<>();
        DuckDbLake after = new DuckDbLake();
        new DuckDbCatalogRefresher(after, raw).refresh();
        try (Statement st = after.connection().createStatement();
             ResultSet rs = st.executeQuery("SELECT ticker, symbol, COUNT(*) AS n FROM raw_data GROUP BY ticker, symbol")) {
            while (rs.next()) {
                assertThat(rs.getString("ticker")).isEqualTo(rs.getString("symbol"));
                rows.put(rs.getString("symbol"), rs.getInt("n"));
            }
        } finally {
            after.stop();
        }
        assertThat(rows).isEqualTo(Map.of("EURUSD=X", 1, "^GSPC", 1, "BRK-B", 1, "GC=F", 2, "7203.T", 1));
    }

    @Test
    void s3MovesArePrintedForEveryUnescapedPartition() {
        List<String> listing = List.of(
                "2026-11-25 10:00:00       1234 raw/dt=2026-11-24/ticker=EURUSD=X/part-1.json",
                "2026-11-25 10:00:00       1234 raw/dt=2026-11-24/ticker=EURUSD=X/part-2.json",
                "2026-11-25 10:00:00       1234 raw/dt=2026-11-24/ticker=AAPL/part-1.json",
                "raw/dt=2026-11-24/ticker=%5EGSPC/part-1.json",
                "raw/dt=2026-11-24/ticker=^GSPC/part-1.json");
        assertThat(LakeMigration.s3Commands("my-bucket", listing)).containsExactly(
                "aws s3 mv --recursive 's3://my-bucket/raw/dt=2026-11-24/ticker=EURUSD=X/' 's3://my-bucket/raw/dt=2026-11-24/ticker=EURUSD%3DX/'",
                "aws s3 mv --recursive 's3://my-bucket/raw/dt=2026-11-24/ticker=^GSPC/' 's3://my-bucket/raw/dt=2026-11-24/ticker=%5EGSPC/'");
    }
}
