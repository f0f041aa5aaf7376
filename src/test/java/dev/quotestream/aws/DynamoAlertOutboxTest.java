package dev.quotestream.aws;

import dev.quotestream.core.AlertOutbox.SymbolDay;
import dev.quotestream.core.PendingAlert;
import dev.quotestream.core.aws.AwsClients;
import dev.quotestream.core.aws.DynamoAlertOutbox;
import dev.quotestream.core.metrics.AlertState;
import dev.quotestream.testing.LoopbackAws;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

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
    /**
     * A batch's alert states in one go (the Lambda, per batch): BatchGetItem, at most 100 keys per call, strongly
     * consistent, pending alerts included; keys DynamoDB leaves in UnprocessedKeys are asked again, and a key still
     * unprocessed after the last attempt is left out of the answer (read alone later).
     */
    @Test
    void aBatchsStatesAreReadConsistentlyAHundredKeysPerCallAndUnprocessedKeysAreAskedAgain() {
        LoopbackAws aws = LoopbackAws.shared();
        aws.startAll();
        List<BatchGetItemRequest> calls = new CopyOnWriteArrayList<>();
        AtomicBoolean throttleNext = new AtomicBoolean(true);
        // DynamoDB's answer to the next call leaves its first 3 keys unprocessed.
        ExecutionInterceptor throttling = new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (!(context.request() instanceof BatchGetItemRequest request)
                        || !(context.response() instanceof BatchGetItemResponse response)) {
                    return context.response();
                }
                calls.add(request);
                if (!throttleNext.compareAndSet(true, false)) {
                    return context.response();
                }
                String table = request.requestItems().keySet().iterator().next();
                List<Map<String, AttributeValue>> left = request.requestItems().get(table).keys().subList(0, 3);
                List<Map<String, AttributeValue>> answered = new ArrayList<>(response.responses().get(table));
                answered.removeIf(item -> left.stream().anyMatch(k -> k.get("symbol").equals(item.get("symbol"))));
                return response.toBuilder().responses(Map.of(table, answered)).unprocessedKeys(Map.of(table,
                        KeysAndAttributes.builder().keys(left).consistentRead(true).build())).build();
            }
        };
        DynamoDbClient dynamoDb = DynamoDbClient.builder().region(Region.of(LoopbackAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LoopbackAws.ACCESS_KEY, LoopbackAws.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(aws.endpoint(LoopbackAws.Service.DYNAMODB)))
                .overrideConfiguration(c -> c.addExecutionInterceptor(throttling)).build();
        String table = LoopbackAws.uniqueName("outbox-read");
        AwsBootstrap.ensureTable(dynamoDb, table);
        DynamoAlertOutbox outbox = new DynamoAlertOutbox(dynamoDb, table, 3, 1, 5);
        // 150 symbols on one day: the even ones have a state (S0 with a pending alert), the odd ones none.
        List<SymbolDay> days = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            days.add(new SymbolDay("S" + i, "2026-11-25"));
            if (i % 2 == 0) {
                outbox.replace(null, new AlertState("S" + i, "2026-11-25", true, 1, "2026-11-25T14:40:00Z"),
                        i == 0 ? List.of(new PendingAlert("S0", "2026-11-25", 1, "{\"alert_key\":\"S0|2026-11-25|1\"}"))
                                : List.of());
            }
        }
        days.add(new SymbolDay("S1", "2026-11-25")); // twice: asked once

        Map<SymbolDay, Optional<AlertState>> read = outbox.loadAll(days);

        assertThat(read).hasSize(150);
        assertThat(read.get(new SymbolDay("S0", "2026-11-25")).orElseThrow().pending())
                .containsEntry(1, "{\"alert_key\":\"S0|2026-11-25|1\"}");
        for (int i = 0; i < 150; i++) {
            Optional<AlertState> state = read.get(new SymbolDay("S" + i, "2026-11-25"));
            assertThat(state).as("S" + i).isNotNull();
            assertThat(state.isPresent()).as("S" + i + " stored").isEqualTo(i % 2 == 0);
            state.ifPresent(s -> assertThat(s.crossings()).isEqualTo(1));
        }
        // 100 keys, the 3 of them left unprocessed, then the other 50; every call strongly consistent.
        assertThat(calls).extracting(c -> c.requestItems().get(table).keys().size()).containsExactly(100, 3, 50);
        assertThat(calls).allMatch(c -> c.requestItems().get(table).consistentRead());

        // Still unprocessed after the last attempt: left out of the answer.
        throttleNext.set(true);
        Map<SymbolDay, Optional<AlertState>> once = new DynamoAlertOutbox(dynamoDb, table, 1, 1, 5)
                .loadAll(days.subList(0, 10));
        assertThat(once).hasSize(7).doesNotContainKeys(days.get(0), days.get(1), days.get(2));
        dynamoDb.close();
    }
}
