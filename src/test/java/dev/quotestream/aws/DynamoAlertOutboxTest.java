package dev.quotestream.aws;

import dev.quotestream.core.PendingAlert;
import dev.quotestream.core.aws.AwsClients;
import dev.quotestream.core.aws.DynamoAlertOutbox;
import dev.quotestream.core.metrics.AlertState;
import dev.quotestream.testing.LoopbackAws;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The DynamoDB outbox against dynalite: a symbol-day's published alerts leave the item in one UpdateItem. */
class DynamoAlertOutboxTest {

    @Test
    void aSymbolDaysAlertsAreMarkedSentTogetherAndMarkingAgainChangesNothing() {
        AwsClients clients = LoopbackProfile.clients(LoopbackAws.shared());
        DynamoDbClient dynamoDb = clients.dynamoDb();
        String table = LoopbackAws.uniqueName("outbox");
        AwsBootstrap.ensureTable(dynamoDb, table);
        DynamoAlertOutbox outbox = new DynamoAlertOutbox(dynamoDb, table);

        PendingAlert first = new PendingAlert("NVDA", "2026-11-25", 1, "{\"alert_key\":\"NVDA|2026-11-25|1\"}");
        PendingAlert second = new PendingAlert("NVDA", "2026-11-25", 2, "{\"alert_key\":\"NVDA|2026-11-25|2\"}");
        PendingAlert other = new PendingAlert("AAPL", "2026-11-25", 1, "{\"alert_key\":\"AAPL|2026-11-25|1\"}");
        AlertState nvda = new AlertState("NVDA", "2026-11-25", true, 2, "2026-11-25T14:31:30Z");
        AlertState aapl = new AlertState("AAPL", "2026-11-25", true, 1, "2026-11-25T14:31:30Z");
        assertThat(outbox.replace(null, nvda, List.of(first, second))).isTrue();
        assertThat(outbox.replace(null, aapl, List.of(other))).isTrue();
        assertThat(outbox.pending(List.of("NVDA", "AAPL"), "2026-11-25", "2026-11-25")).hasSize(3);

        outbox.markSent(List.of(first, second, other));

        assertThat(outbox.pending(List.of("NVDA", "AAPL"), "2026-11-25", "2026-11-25")).isEmpty();
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("symbol", AttributeValue.fromS("ALERT#NVDA"), "timestamp", AttributeValue.fromS("2026-11-25"))))
                .item();
        assertThat(item.keySet()).noneMatch(name -> name.startsWith(DynamoAlertOutbox.PENDING_PREFIX));
        assertThat(outbox.load("NVDA", "2026-11-25").crossings()).as("the state stays").isEqualTo(2);

        outbox.markSent(List.of(first, second)); // again: idempotent
        outbox.markSent(new PendingAlert("MSFT", "2026-11-25", 1, "{}")); // no state item: nothing pending
        assertThat(outbox.load("MSFT", "2026-11-25")).isNull();
        assertThat(outbox.load("NVDA", "2026-11-25").crossings()).isEqualTo(2);
    }
}
