package dev.quotestream.aws;

import dev.quotestream.core.aws.AwsClients;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quotestream.pipeline.ExchangeCounter;
import dev.quotestream.pipeline.PipelineRunner;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.ParityGolden;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Camel route (aws profile) and the Lambda produce the same data for the same input. The input is the
 * Lambda's own Kinesis event fixture (lambda-processor/src/test/resources/events/batch-10-records.json:
 * several symbols, one malformed record, one duplicate). This test runs it through the real routes against
 * kinesis-local, dynalite, S3Proxy and WireMock (its own stream, table, bucket and topic on the shared
 * loopback servers) and compares what is at rest with
 * src/test/resources/parity/batch-10-records.expected.json; lambda-processor's SameInputSameOutputTest
 * compares the Lambda's output with the same file.
 */
class RouteLambdaParityTest {

    static final Path EVENT = Path.of("lambda-processor/src/test/resources/events/batch-10-records.json");
    static final Path EXPECTED = Path.of("src/test/resources/parity/batch-10-records.expected.json");
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    /** This test's stream, table, bucket and topic on the shared loopback servers. */
    private LoopbackProfile resources;

    @AfterEach
    void removeTopicStubs() {
        if (resources != null) {
            resources.close();
        }
    }

    @Test
    void theRouteStoresWhatTheLambdaStores(@TempDir Path data) throws Exception {
        LoopbackAws aws = LoopbackAws.shared();
        resources = LoopbackProfile.forTest(aws, "route-lambda-parity");
        AwsClients clients = LoopbackProfile.clients(aws);
        KinesisClient kinesis = LoopbackProfile.kinesis(clients);
        DynamoDbClient dynamoDb = clients.dynamoDb();
        S3Client s3 = clients.s3();
        String stream = resources.stream();
        AwsBootstrap.ensureStream(kinesis, stream, 1);
        List<Map<String, Object>> records = new ArrayList<>();
        for (Object r : (List<?>) json.readValue(Files.readString(EVENT), Map.class).get("Records")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> k = (Map<String, Object>) ((Map<String, Object>) r).get("kinesis");
            records.add(k);
            byte[] payload = Base64.getDecoder().decode((String) k.get("data"));
            kinesis.putRecord(b -> b.streamName(stream).partitionKey((String) k.get("partitionKey"))
                    .data(SdkBytes.fromByteArray(payload)));
        }
        assertThat(records).hasSize(10);

        Map<String, String> p = new HashMap<>(PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort()));
        p.putAll(resources.properties());
        p.put("pipeline.fetch-in-camel", "false");
        p.put("report.schedule-enabled", "false");
        try (PipelineRunner app = PipelineRunner.start("aws", p)) {
            ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            ExchangeCounter deadLettered = ExchangeCounter.deadLettered(app.context());
            assertThat(stored.await(9, Duration.ofSeconds(60))).as("9 decodable records stored").isTrue();
            assertThat(deadLettered.await(1, Duration.ofSeconds(60))).as("the malformed record dead-lettered").isTrue();
        } // graceful stop: the lake batches are flushed

        Map<String, Object> actual = new TreeMap<>();
        Map<String, Map<String, String>> items = new TreeMap<>();
        dynamoDb.scanPaginator(b -> b.tableName(resources.table()).consistentRead(true)).items().forEach(item -> {
            if (!item.get("symbol").s().contains("#")) {
                items.put(item.get("symbol").s() + "|" + item.get("timestamp").s(), normalized(item));
            }
        });
        actual.put("items", items);
        Map<String, List<String>> lake = new TreeMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(resources.bucket()).prefix("raw/")).contents()) {
            String partition = o.key().substring(0, o.key().lastIndexOf('/'));
            s3.getObjectAsBytes(b -> b.bucket(resources.bucket()).key(o.key())).asUtf8String().lines()
                    .forEach(line -> lake.computeIfAbsent(partition, x -> new ArrayList<>()).add(line));
        }
        lake.values().forEach(lines -> lines.sort(null));
        actual.put("lake", lake);
        List<Map<String, Object>> alerts = ParityGolden.alerts(resources.topic().publishes());
        actual.put("alerts", alerts);
        actual.put("dead_letters", ParityGolden.deadLetters(objects(s3, resources.bucket(), "dead-letter/")));

        String rendered = json.writeValueAsString(actual) + "\n";
        if (Boolean.getBoolean("parity.record")) {
            Files.writeString(EXPECTED, rendered); // deliberate re-recording only: -Dparity.record=true
        }
        assertThat(rendered).isEqualTo(Files.readString(EXPECTED));
        assertThat(items).hasSize(8);
        assertThat(alerts).hasSize(2);
    }

    /** S/N/BOOL with numbers compared as decimals (DynamoDB drops trailing zeros). */
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
