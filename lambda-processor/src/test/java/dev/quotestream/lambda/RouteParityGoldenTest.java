package dev.quotestream.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.ParityGolden;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Lambda's half of the route/Lambda parity check: the Lambda processes batch-10-records.json and what it
 * stores must equal ../src/test/resources/parity/batch-10-records.expected.json, the very file the Camel
 * route's RouteLambdaParityTest (root project, aws profile, same input) is compared with.
 */
class RouteParityGoldenTest {

    static final Path EXPECTED = Path.of("../src/test/resources/parity/batch-10-records.expected.json");

    @Test
    void theLambdaStoresWhatTheCamelRouteStores() throws Exception {
        KinesisEvent batch = TestSupport.event("batch-10-records.json");
        LoopbackAws aws = LoopbackAws.shared();
        String table = LoopbackAws.uniqueName("golden-table");
        String bucket = LoopbackAws.uniqueName("golden-bucket");
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        try (DynamoDbClient ddb = TestSupport.dynamoDb(); S3Client s3 = TestSupport.s3(); SnsClient sns = TestSupport.sns();
             SnsTopic topic = aws.topic(SameInputSameOutputTest.ACCOUNT, LoopbackAws.uniqueName("golden-alerts"))) {
            TestSupport.createTable(ddb, table);
            s3.createBucket(b -> b.bucket(bucket));
            new QuoteProcessor(ProcessorConfig.of(table, bucket, topic.arn()),
                    new ServiceClients(ddb, s3, sns), new TestSupport.CapturedMetrics(),
                    new JsonLog("golden", new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                    Clock.systemUTC()).process(batch, "golden");

            Map<String, Object> actual = new TreeMap<>();
            Map<String, Map<String, String>> items = new TreeMap<>();
            ddb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> {
                if (!item.get("symbol").s().contains("#")) {
                    items.put(item.get("symbol").s() + "|" + item.get("timestamp").s(), normalized(item));
                }
            });
            actual.put("items", items);
            Map<String, List<String>> lake = new TreeMap<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("raw/")).contents()) {
                String partition = o.key().substring(0, o.key().lastIndexOf('/'));
                s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asUtf8String().lines()
                        .forEach(line -> lake.computeIfAbsent(partition, x -> new ArrayList<>()).add(line));
            }
            lake.values().forEach(lines -> lines.sort(null));
            actual.put("lake", lake);
            List<Map<String, Object>> alerts = ParityGolden.alerts(topic.publishes());
            actual.put("alerts", alerts);
            actual.put("dead_letters", ParityGolden.deadLetters(objects(s3, bucket, "dead-letter/")));

            assertThat(EXPECTED).as("the golden file the Camel route is checked against").exists();
            assertThat(json.writeValueAsString(actual) + "\n").isEqualTo(Files.readString(EXPECTED));
        }
    }

    /** Same normalisation as the root's RouteLambdaParityTest: S/N/BOOL, numbers as decimals. */
    static Map<String, String> normalized(Map<String, AttributeValue> item) {
        Map<String, String> out = new TreeMap<>();
        item.forEach((name, v) -> out.put(name, v.s() != null ? "S:" + v.s()
                : v.n() != null ? "N:" + new BigDecimal(v.n()).stripTrailingZeros().toPlainString()
                : v.bool() != null ? "BOOL:" + v.bool() : "?:" + v));
        return out;
    }

    static Map<String, String> objects(S3Client s3, String bucket, String prefix) {
        Map<String, String> objects = new TreeMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            objects.put(o.key(), s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asUtf8String());
        }
        return objects;
    }
}
