package dev.quotestream.lambda;

import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.LoopbackAws.Service;
import dev.quotestream.testing.SnsTopic;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real entry point: {@code KinesisHandler}'s static init reads the function's environment variables
 * (as infra/sam.yaml sets them) and builds the SDK clients, in a child JVM whose environment points the
 * clients at the loopback servers ({@link LoopbackAws}); then one batch, asserted at rest.
 */
class HandlerEntryPointTest {

    @Test
    void theHandlerConfiguredFromTheEnvironmentProcessesABatch() throws Exception {
        LoopbackAws aws = LoopbackAws.shared();
        String table = LoopbackAws.uniqueName("entry-table");
        String bucket = LoopbackAws.uniqueName("entry-bucket");
        try (DynamoDbClient ddb = TestSupport.dynamoDb(); S3Client s3 = TestSupport.s3();
             SnsTopic topic = aws.topic("123456789012", LoopbackAws.uniqueName("stock-quote-alerts"))) {
            TestSupport.createTable(ddb, table);
            s3.createBucket(b -> b.bucket(bucket));
            Path fixture = Path.of(HandlerEntryPointTest.class.getResource("/events/batch-10-records.json").toURI());
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ColdStartRun.class.getName(), fixture.toString());
            Map<String, String> env = pb.environment();
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", LoopbackAws.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", LoopbackAws.SECRET_KEY);
            env.put("AWS_ENDPOINT_URL_DYNAMODB", aws.endpoint(Service.DYNAMODB));
            env.put("AWS_ENDPOINT_URL_S3", aws.endpoint(Service.S3));
            env.put("AWS_ENDPOINT_URL_SNS", aws.endpoint(Service.SNS));
            env.put("TABLE_NAME", table);
            env.put("BUCKET_NAME", bucket);
            env.put("TOPIC_ARN", topic.arn());
            env.put("AWS_LAMBDA_FUNCTION_NAME", "quote-processor-test");
            pb.redirectErrorStream(true);
            Process process = pb.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("\"batch_item_failures\":0");
            // stdout carries the JSON log lines and the EMF document that CloudWatch would ingest.
            assertThat(output).contains("\"event\":\"batch_processed\"").contains("\"_aws\":{")
                    .contains("\"Namespace\":\"QuoteStream\"");

            List<String> items = new ArrayList<>();
            ddb.scanPaginator(b -> b.tableName(table)).items()
                    .forEach(i -> items.add(i.get("symbol").s() + "|" + i.get("timestamp").s()));
            assertThat(items).hasSize(10).contains("ALERT#GOOGL|2026-11-25", "NVDA|2026-11-25T14:40:00Z");
            List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                    .map(S3Object::key).toList();
            assertThat(keys).hasSize(6).filteredOn(k -> k.startsWith("raw/dt=2026-11-25/ticker=")).hasSize(5);
            assertThat(topic.publishes()).hasSize(2);
        }
    }

    @Test
    void primingTouchesNoServerAndWritesNothing() throws Exception {
        int closedPort = LoopbackAws.freePort();
        ServiceClients unreachable = ServiceClients.fromEnvironment(Map.of("AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:" + closedPort));
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        QuoteProcessor processor = new QuoteProcessor(ProcessorConfig.of("t", "b", "arn:aws:sns:us-east-1:1:t"),
                unreachable, new TestSupport.CapturedMetrics(),
                new JsonLog("prime", new java.io.PrintStream(logs, true, StandardCharsets.UTF_8)), java.time.Clock.systemUTC());
        long started = System.nanoTime();
        processor.prime();
        assertThat(logs.toString(StandardCharsets.UTF_8)).as("no prime_failed").isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(10);
    }

    @Test
    void aMissingSettingFailsTheInitWithItsName() {
        assertThatThrownBy(() -> ProcessorConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "TOPIC_ARN", "a")))
                .hasMessage("environment variable BUCKET_NAME is not set");
        ProcessorConfig config = ProcessorConfig.fromEnvironment(Map.of("TABLE_NAME", "t", "BUCKET_NAME", "b",
                "TOPIC_ARN", "a", "ANOMALY_THRESHOLD_PERCENT", "7.5"));
        assertThat(config.anomalyThresholdPercent()).isEqualByComparingTo("7.5");
        assertThat(config.lakePrefix()).isEqualTo("raw");
        assertThat(config.deadLetterPrefix()).isEqualTo("dead-letter");
        assertThat(config.sseAlgorithm()).isEqualTo("AES256");
    }
}
