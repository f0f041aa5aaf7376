package dev.quotestream.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.quotestream.core.AlertGate;
import dev.quotestream.core.AlertOutbox;
import dev.quotestream.core.LakeLayout;
import dev.quotestream.core.PendingAlert;
import dev.quotestream.core.QuoteDecoder;
import dev.quotestream.core.metrics.AlertState;
import dev.quotestream.core.metrics.ProcessedQuote;
import dev.quotestream.core.metrics.QuoteMetrics;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.SnsTopic;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Same input, same output: the quotes of a Kinesis batch go (a) through the Lambda processor into
 * dynalite/S3Proxy/WireMock-SNS, and (b) through the steps the Camel route calls, in the shared core:
 * {@link QuoteDecoder}, {@code QuoteMetrics.process}, the contract's table attributes
 * ({@code ProcessedQuote.toAttributes}, what the local TableItemEncoder passes on), {@link LakeLayout} (what the
 * route's LakeRecords delegates to) and {@link AlertGate} over an in-memory outbox. The stored items, lake objects
 * and alerts must be identical. (RouteParityGoldenTest and the root's RouteLambdaParityTest compare the real route.)
 */
class SameInputSameOutputTest {

    static final String ACCOUNT = "123456789012";

    @Test
    void theLambdaWritesWhatTheCamelRouteWritesForTheSameQuotes() throws Exception {
        KinesisEvent batch = TestSupport.event("batch-10-records.json");
        LoopbackAws aws = LoopbackAws.shared();
        String table = LoopbackAws.uniqueName("parity-table");
        String bucket = LoopbackAws.uniqueName("parity-bucket");
        try (DynamoDbClient ddb = TestSupport.dynamoDb(); S3Client s3 = TestSupport.s3(); SnsClient sns = TestSupport.sns();
             SnsTopic topic = aws.topic(ACCOUNT, LoopbackAws.uniqueName("parity-alerts"))) {
            TestSupport.createTable(ddb, table);
            s3.createBucket(b -> b.bucket(bucket));

            // (a) the Lambda
            new QuoteProcessor(ProcessorConfig.of(table, bucket, topic.arn()), new ServiceClients(ddb, s3, sns),
                    new TestSupport.CapturedMetrics(),
                    new JsonLog("parity", new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                    Clock.systemUTC()).process(batch, "parity");

            // (b) the route's steps, fed the same record bodies
            QuoteDecoder decoder = new QuoteDecoder();
            QuoteMetrics quoteMetrics = new QuoteMetrics();
            LakeLayout lakeRecords = new LakeLayout("raw");
            AlertGate alertGate = new AlertGate(new InMemoryOutbox(), QuoteMetrics.DEFAULT_ANOMALY_THRESHOLD_PERCENT);
            Map<String, Map<String, Object>> camelItems = new TreeMap<>();
            Map<String, List<String>> camelLake = new TreeMap<>();
            List<PendingAlert> camelAlerts = new ArrayList<>();
            int rejected = 0;
            for (KinesisEvent.KinesisEventRecord record : batch.getRecords()) {
                String body = StandardCharsets.UTF_8.decode(record.getKinesis().getData().duplicate()).toString();
                ProcessedQuote quote;
                try {
                    quote = quoteMetrics.process(decoder.decode(body.getBytes(StandardCharsets.UTF_8)));
                } catch (Exception deadLettered) {
                    rejected++;
                    continue;
                }
                camelItems.put(quote.symbol() + "|" + quote.timestamp(), quote.toAttributes());
                camelLake.computeIfAbsent(lakeRecords.partition(quote), p -> new ArrayList<>())
                        .add(lakeRecords.jsonLine(quote));
                camelAlerts.addAll(alertGate.evaluate(quote));
            }
            assertThat(rejected).isEqualTo(1);
            assertThat(camelItems).hasSize(8);

            // Table items: same keys, same attribute names, S/N/BOOL of the same values.
            Map<String, Map<String, AttributeValue>> lambdaItems = new TreeMap<>();
            ddb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream()
                    .filter(i -> !i.get("symbol").s().startsWith("ALERT#"))
                    .forEach(i -> lambdaItems.put(i.get("symbol").s() + "|" + i.get("timestamp").s(), i));
            assertThat(lambdaItems.keySet()).isEqualTo(camelItems.keySet());
            camelItems.forEach((key, expected) -> {
                Map<String, AttributeValue> actual = lambdaItems.get(key);
                assertThat(actual.keySet()).as(key).containsExactlyInAnyOrderElementsOf(expected.keySet());
                expected.forEach((name, value) -> assertSameValue(key + "." + name, value, actual.get(name)));
            });

            // Lake: the same partitions, object keys of the same layout, byte-identical content.
            Map<String, String> lambdaLake = new TreeMap<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("raw/")).contents()) {
                lambdaLake.put(o.key(), s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asUtf8String());
            }
            Map<String, String> lambdaByPartition = new TreeMap<>();
            lambdaLake.forEach((key, content) -> lambdaByPartition.put(key.substring(0, key.lastIndexOf('/')), content));
            assertThat(lambdaByPartition.keySet()).isEqualTo(camelLake.keySet());
            camelLake.forEach((partition, lines) -> assertThat(lambdaByPartition.get(partition)).as(partition)
                    .isEqualTo(String.join("\n", lines) + "\n"));
            String camelKeyShape = lakeRecords.objectKey("raw/dt=2026-11-25/ticker=AAPL", Instant.now())
                    .replaceAll("\\d", "9").replaceAll("-[0-9a-f]{8}\\.json$", "-hhhhhhhh.json");
            String lambdaKeyShape = lambdaLake.keySet().stream().filter(k -> k.contains("ticker=AAPL/")).findFirst()
                    .orElseThrow().replaceAll("\\d", "9").replaceAll("-[0-9a-f]{8}\\.json$", "-hhhhhhhh.json");
            assertThat(lambdaKeyShape).isEqualTo(camelKeyShape);

            // Alerts: the same messages (published concurrently across symbols since issue 11: compared in the
            // route's order, by alert key).
            List<String> order = camelAlerts.stream().map(a -> a.key()).toList();
            List<Map<String, String>> published = topic.publishes().stream()
                    .map(r -> TestSupport.form(r.getBodyAsString()))
                    .sorted(java.util.Comparator.comparing(p -> order.indexOf(TestSupport.messageAttributes(p)
                            .get("alert_key").get(1)))).toList();
            assertThat(published).hasSameSizeAs(camelAlerts).hasSize(2);
            for (int i = 0; i < camelAlerts.size(); i++) {
                assertThat(published.get(i).get("Message")).isEqualTo(camelAlerts.get(i).json());
                assertThat(published.get(i).get("Subject")).isEqualTo(camelAlerts.get(i).subject());
                assertThat(TestSupport.messageAttributes(published.get(i))).containsExactlyInAnyOrderEntriesOf(Map.of(
                        "symbol", List.of("String", camelAlerts.get(i).symbol()),
                        "severity", List.of("String", camelAlerts.get(i).message().severity()),
                        "alert_key", List.of("String", camelAlerts.get(i).key())));
            }
        }
    }

    private static void assertSameValue(String what, Object expected, AttributeValue actual) {
        assertThat(actual).as(what).isNotNull();
        if (expected instanceof String s) {
            assertThat(actual.s()).as(what).isEqualTo(s);
        } else if (expected instanceof BigDecimal d) {
            assertThat(actual.n()).as(what).isNotNull();
            assertThat(new BigDecimal(actual.n())).as(what).isEqualByComparingTo(d);
        } else if (expected instanceof Long l) {
            assertThat(actual.n()).as(what).isEqualTo(l.toString());
        } else if (expected instanceof Boolean b) {
            assertThat(actual.bool()).as(what).isEqualTo(b);
        } else {
            fail("unexpected contract value type at " + what + ": " + expected);
        }
    }

    /** The outbox contract in memory (SQLite on the local profile, DynamoDB on AWS). */
    static final class InMemoryOutbox implements AlertOutbox {
        private final Map<String, AlertState> states = new HashMap<>();

        @Override
        public AlertState load(String symbol, String tradingDay) {
            return states.get(symbol + "|" + tradingDay);
        }

        @Override
        public boolean replace(AlertState expected, AlertState next, List<PendingAlert> alerts) {
            String key = next.symbol() + "|" + next.tradingDay();
            if (!java.util.Objects.equals(states.get(key), expected)) {
                return false;
            }
            states.put(key, next); // pending alerts are "published" at once in this test
            return true;
        }

        @Override
        public void markSent(List<PendingAlert> alerts) {
        }

        @Override
        public List<PendingAlert> pending(java.util.Collection<String> symbols, String fromDay, String toDay) {
            return List.of();
        }
    }
}
