package dev.quotestream.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.SnsTopic;
import dev.quotestream.testing.StreamBadInputs;
import dev.quotestream.testing.StreamBadInputs.Case;
import dev.quotestream.testing.StreamBadInputs.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lambda's side of the stream bad inputs ({@link StreamBadInputs}, the same cases as the route's
 * StreamBadInputTest, plus data that is not base64): one event as Lambda delivers it, read by the handler's own event
 * reader, each case's outcome asserted at rest, then the invariants; and the same event delivered again adds no
 * dead letter (their keys are the records' positions).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LambdaBadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private String table;
    private String bucket;
    private SnsTopic topic;
    private DynamoDbClient ddb;
    private S3Client s3;
    private SnsClient sns;
    private byte[] event;
    private int recordsIn;
    private List<String> failed;
    private Map<String, Map<String, AttributeValue>> items;
    private Map<String, Map<String, Object>> deadLetters;
    private List<Map<String, Object>> lakeLines;

    static List<Case> cases() {
        return StreamBadInputs.all();
    }

    @BeforeAll
    void oneEventWithEveryCase() throws Exception {
        LoopbackAws aws = LoopbackAws.shared();
        table = LoopbackAws.uniqueName("bad-input-table");
        bucket = LoopbackAws.uniqueName("bad-input-bucket");
        topic = aws.topic("123456789012", LoopbackAws.uniqueName("bad-input-alerts"));
        ddb = TestSupport.dynamoDb();
        s3 = TestSupport.s3();
        sns = TestSupport.sns();
        TestSupport.createTable(ddb, table);
        s3.createBucket(b -> b.bucket(bucket));
        ObjectNode root = JSON.createObjectNode();
        ArrayNode records = root.putArray("Records");
        long sequence = 0;
        for (Case c : cases()) {
            List<String> data = c.lambdaOnly() ? List.of(c.base64())
                    : StreamBadInputs.records(c).stream().map(b -> Base64.getEncoder().encodeToString(b)).toList();
            for (String d : data) {
                ObjectNode r = records.addObject();
                String seq = "4959033827149025660855969253836157109592157598913" + String.format("%07d", ++sequence % 10_000_000);
                ObjectNode k = r.putObject("kinesis");
                k.put("kinesisSchemaVersion", "1.0").put("partitionKey", c.key()).put("sequenceNumber", seq)
                        .put("data", d).put("approximateArrivalTimestamp", 1795611721.5);
                r.put("eventSource", "aws:kinesis").put("eventID", "shardId-000000000002:" + seq)
                        .put("eventSourceARN", "arn:aws:kinesis:us-east-1:123456789012:stream/stock-quotes");
                recordsIn++;
            }
        }
        event = JSON.writeValueAsBytes(root);
        failed = processor().process(KinesisEvents.read(new ByteArrayInputStream(event)), "bad-inputs");
        items = new TreeMap<>();
        ddb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(i -> {
            if (!i.get("symbol").s().contains("#")) {
                items.put(i.get("symbol").s() + "|" + i.get("timestamp").s(), i);
            }
        });
        deadLetters = new HashMap<>();
        lakeLines = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            String content = s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asUtf8String();
            if (o.key().startsWith("dead-letter/")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> letter = JSON.readValue(content, Map.class);
                assertThat(deadLetters.put((String) letter.get("symbol"), letter)).isNull();
            } else {
                for (String line : content.split("\n")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = JSON.readValue(line, Map.class);
                    lakeLines.add(m);
                }
            }
        }
    }

    private QuoteProcessor processor() {
        return new QuoteProcessor(ProcessorConfig.of(table, bucket, topic.arn()), new ServiceClients(ddb, s3, sns),
                new TestSupport.CapturedMetrics(),
                new JsonLog("bad-inputs", new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                Clock.systemUTC());
    }

    @AfterAll
    void close() {
        topic.close();
        ddb.close();
        s3.close();
        sns.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachRecordIsStoredOrDeadLetteredWithItsReason(Case c) {
        if (c.outcome() == Outcome.DEAD_LETTERED) {
            Map<String, Object> letter = deadLetters.get(c.key());
            assertThat(letter).as("dead letter of " + c.key()).isNotNull();
            assertThat((String) letter.get("reason")).contains(c.reason());
            assertThat(letter).containsEntry("stage", "quote-process").containsEntry("shard_id", "shardId-000000000002");
            assertThat(items.keySet()).noneMatch(k -> k.startsWith(c.key() + "|"));
        } else {
            List<String> stored = items.keySet().stream().filter(k -> k.startsWith(c.key() + "|")).toList();
            switch (c.key()) {
                case "PENNY" -> assertThat(new BigDecimal(items.get(stored.get(0)).get("price").n())).isEqualByComparingTo("0.00004");
                case "TWICE" -> assertThat(stored).hasSize(1);
                case "LATE" -> assertThat(stored).hasSize(2);
                default -> throw new IllegalStateException(c.key());
            }
        }
    }

    @Test
    void nothingIsRetriedAndRecordsInEqualStoredPlusDeadLettered() {
        assertThat(failed).isEmpty();
        long stored = cases().stream().filter(c -> c.outcome() == Outcome.STORED).mapToInt(Case::records).sum();
        assertThat(recordsIn).isEqualTo(stored + deadLetters.size());
    }

    @Test
    void everyStoredQuoteIsInTheLakeAndNoTableItemIsDuplicated() {
        Set<String> lakeKeys = lakeLines.stream().map(m -> m.get("symbol") + "|" + m.get("timestamp")).collect(Collectors.toSet());
        assertThat(lakeKeys).containsExactlyInAnyOrderElementsOf(items.keySet());
        assertThat(items).hasSize(4);
        assertThat(topic.publishes()).hasSize(1); // PENNY's crossing, -20 %
    }

    /** Before: the Lambda wrote a record's dead letter again on every redelivery (29 became 58). */
    @Test
    void aRedeliveryOverwritesTheDeadLettersInsteadOfAddingSome() throws Exception {
        int before = s3.listObjectsV2(b -> b.bucket(bucket).prefix("dead-letter/")).keyCount();
        processor().process(KinesisEvents.read(new ByteArrayInputStream(event)), "bad-inputs-again");
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("dead-letter/")).keyCount()).isEqualTo(before);
        JsonNode any = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket)
                .key(s3.listObjectsV2(l -> l.bucket(bucket).prefix("dead-letter/")).contents().get(0).key())).asUtf8String());
        assertThat(any.get("input_sha256").asText()).hasSize(64);
    }
}
