package dev.quotestream.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quotestream.core.aws.AwsClients;
import dev.quotestream.pipeline.ExchangeCounter;
import dev.quotestream.pipeline.PipelineRunner;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.StreamBadInputs;
import dev.quotestream.testing.StreamBadInputs.Case;
import dev.quotestream.testing.StreamBadInputs.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream path's bad inputs (issue 9, item 10; the cases are {@link StreamBadInputs}, shared with the Lambda's
 * LambdaBadInputTest): every record goes through Kinesis (kinesis-local) into the real routes (aws profile), once,
 * and each case asserts its own outcome at rest. Then the invariants: records in = stored + dead-lettered, every
 * stored quote is in the lake, no alert lost, no table duplicate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamBadInputTest {

    private final ObjectMapper json = new ObjectMapper();
    private LoopbackProfile resources;
    private int recordsIn;
    private Map<String, Map<String, AttributeValue>> items;
    private Map<String, Map<String, Object>> deadLettersBySymbol;
    private List<Map<String, Object>> lakeLines;
    private List<Map<String, String>> alerts;

    static List<Case> cases() {
        return StreamBadInputs.all().stream().filter(c -> !c.lambdaOnly()).toList();
    }

    @BeforeAll
    void runEveryBadRecordThroughTheRoute(@TempDir Path data) throws Exception {
        LoopbackAws aws = LoopbackAws.shared();
        resources = LoopbackProfile.forTest(aws, "stream-bad-input");
        AwsClients clients = LoopbackProfile.clients(aws);
        KinesisClient kinesis = LoopbackProfile.kinesis(clients);
        AwsBootstrap.ensureStream(kinesis, resources.stream(), 1);
        int deadLetters = 0;
        for (Case c : cases()) {
            for (byte[] record : StreamBadInputs.records(c)) {
                kinesis.putRecord(b -> b.streamName(resources.stream()).partitionKey(c.key()).data(SdkBytes.fromByteArray(record)));
                recordsIn++;
            }
            deadLetters += c.outcome() == Outcome.DEAD_LETTERED ? 1 : 0;
        }
        Map<String, String> p = new HashMap<>(PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort()));
        p.putAll(resources.properties());
        p.put("pipeline.fetch-in-camel", "false");
        p.put("report.schedule-enabled", "false");
        int stored = recordsIn - deadLetters;
        try (PipelineRunner app = PipelineRunner.start("aws", p)) {
            ExchangeCounter table = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            ExchangeCounter dead = ExchangeCounter.deadLettered(app.context());
            assertThat(table.await(stored, Duration.ofSeconds(90))).as(stored + " records stored").isTrue();
            assertThat(dead.await(deadLetters, Duration.ofSeconds(90))).as(deadLetters + " dead letters").isTrue();
        }
        DynamoDbClient dynamoDb = clients.dynamoDb();
        S3Client s3 = clients.s3();
        items = new TreeMap<>();
        dynamoDb.scanPaginator(b -> b.tableName(resources.table()).consistentRead(true)).items().forEach(i -> {
            if (!i.get("symbol").s().contains("#")) {
                items.put(i.get("symbol").s() + "|" + i.get("timestamp").s(), i);
            }
        });
        deadLettersBySymbol = new HashMap<>();
        lakeLines = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(resources.bucket())).contents()) {
            String content = s3.getObjectAsBytes(b -> b.bucket(resources.bucket()).key(o.key())).asUtf8String();
            if (o.key().startsWith("dead-letter/")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> letter = json.readValue(content, Map.class);
                assertThat(deadLettersBySymbol.put((String) letter.get("symbol"), letter)).as("one dead letter per case").isNull();
            } else {
                for (String line : content.split("\n")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = json.readValue(line, Map.class);
                    lakeLines.add(m);
                }
            }
        }
        alerts = new ArrayList<>();
        resources.topic().publishes().forEach(r -> alerts.add(form(r.getBodyAsString())));
    }

    @AfterAll
    void close() {
        resources.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachRecordIsStoredOrDeadLetteredWithItsReason(Case c) {
        if (c.outcome() == Outcome.DEAD_LETTERED) {
            Map<String, Object> letter = deadLettersBySymbol.get(c.key());
            assertThat(letter).as("dead letter of " + c.key()).isNotNull();
            assertThat((String) letter.get("reason")).contains(c.reason());
            assertThat(letter).containsEntry("stage", "quote-process").containsEntry("input_bytes", c.data().length);
            assertThat((String) letter.get("sequence_number")).isNotBlank();
            assertThat(items.keySet()).noneMatch(k -> k.startsWith(c.key() + "|"));
        } else {
            assertThat(deadLettersBySymbol).doesNotContainKey(c.key());
            List<String> stored = items.keySet().stream().filter(k -> k.startsWith(c.key() + "|")).toList();
            switch (c.key()) {
                case "PENNY" -> {
                    Map<String, AttributeValue> item = items.get(stored.get(0));
                    assertThat(new BigDecimal(item.get("price").n())).isEqualByComparingTo("0.00004");
                    assertThat(new BigDecimal(item.get("change_percent").n())).isEqualByComparingTo("-20");
                    assertThat(item.get("anomaly").bool()).isTrue();
                }
                case "TWICE" -> assertThat(stored).hasSize(1);
                case "LATE" -> assertThat(stored).hasSize(2);
                default -> throw new IllegalStateException(c.key());
            }
        }
    }

    @Test
    void recordsInEqualStoredPlusDeadLettered() {
        long storedRecords = cases().stream().filter(c -> c.outcome() == Outcome.STORED).mapToInt(Case::records).sum();
        assertThat(recordsIn).isEqualTo(storedRecords + deadLettersBySymbol.size());
        assertThat(deadLettersBySymbol.keySet()).containsExactlyInAnyOrderElementsOf(cases().stream()
                .filter(c -> c.outcome() == Outcome.DEAD_LETTERED).map(Case::key).toList());
    }

    @Test
    void everyStoredQuoteIsInTheLakeAndNoTableItemIsDuplicated() {
        Set<String> lakeKeys = lakeLines.stream().map(m -> m.get("symbol") + "|" + m.get("timestamp")).collect(Collectors.toSet());
        assertThat(lakeKeys).containsExactlyInAnyOrderElementsOf(items.keySet());
        assertThat(items).hasSize(4); // PENNY, TWICE (once), LATE (twice)
    }

    @Test
    void noAlertIsLost() {
        // PENNY moved -20 %: one crossing, one alert, with its key.
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.get("MessageAttributes.entry.3.Value.StringValue"))
                .isEqualTo("PENNY|2026-11-25|1"));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return m;
    }
}
