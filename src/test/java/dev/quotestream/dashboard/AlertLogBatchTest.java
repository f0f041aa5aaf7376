package dev.quotestream.dashboard;

import dev.quotestream.aws.AwsBootstrap;
import dev.quotestream.aws.LoopbackProfile;
import dev.quotestream.core.aws.AwsClients;
import dev.quotestream.dashboard.aws.DynamoAlertLog;
import dev.quotestream.dashboard.local.SqliteAlertLog;
import dev.quotestream.testing.LoopbackAws;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The alerts published together go to the alert log in one write, and each reads back once (SQLite, dynalite). */
class AlertLogBatchTest {

    /** 30 alerts: more than one BatchWriteItem call (25 items), one of them twice (idempotent). */
    private static List<String> alerts() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            out.add("{\"symbol\":\"S" + (i % 6) + "\",\"timestamp\":\"2026-11-25T15:" + String.format("%02d", i)
                    + ":00Z\",\"crossing\":" + (i / 6 + 1) + ",\"severity\":\"warning\",\"alert_key\":\"S" + (i % 6)
                    + "|2026-11-25|" + (i / 6 + 1) + "\"}");
        }
        out.add(out.get(0));
        return out;
    }

    private static void readsBackEachOnce(AlertLog log) {
        List<Map<String, Object>> read = log.since(Instant.parse("2026-11-25T00:00:00Z"), 100);
        assertThat(read).hasSize(30);
        assertThat(read).extracting(a -> a.get("symbol") + "|" + a.get("timestamp")).doesNotHaveDuplicates();
        assertThat(read.get(0).get("timestamp")).as("newest first").isEqualTo("2026-11-25T15:29:00Z");
    }

    @Test
    void sqliteWritesABatchInOneTransaction(@TempDir Path dir) throws Exception {
        SqliteAlertLog log = new SqliteAlertLog(dir.resolve("quotes.db"));
        log.start();
        try {
            log.appendAll(alerts());
            log.appendAll(List.of()); // nothing to write: no error
            readsBackEachOnce(log);
        } finally {
            log.stop();
        }
    }

    @Test
    void dynamoDbWritesABatchWithBatchWriteItem() throws Exception {
        AwsClients clients = LoopbackProfile.clients(LoopbackAws.shared());
        String table = LoopbackAws.uniqueName("alertlog");
        AwsBootstrap.ensureTable(clients.dynamoDb(), table);
        DynamoAlertLog log = new DynamoAlertLog(clients.dynamoDb(), table,
                Clock.fixed(Instant.parse("2026-11-25T20:00:00Z"), ZoneOffset.UTC));
        log.appendAll(alerts());
        readsBackEachOnce(log);
    }
}
