package dev.quotestream.lambda;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real entry point: {@code KinesisHandler}'s static init reads the function's environment variables
 * (as infra/sam.yaml sets them) and builds the SDK clients, in a child JVM whose environment points the
 * clients at the loopback servers; then one batch, asserted at rest.
 */
class HandlerEntryPointTest {

    static LocalAws aws;

    @BeforeAll
    static void startServers() throws Exception {
        assumeTrue(LocalAws.nodeInstalled(),
                "ASSUMPTION: node is not installed, so dynalite cannot run; skipped here, CI runs it.");
        aws = LocalAws.start();
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void theHandlerConfiguredFromTheEnvironmentProcessesABatch() throws Exception {
        try (DynamoDbClient ddb = aws.dynamoDb(); S3Client s3 = aws.s3()) {
            aws.createTable(ddb, "entry-table");
            s3.createBucket(b -> b.bucket("entry-bucket"));
            aws.stubPublish();
            Path fixture = Path.of(HandlerEntryPointTest.class.getResource("/events/batch-10-records.json").toURI());
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ColdStartRun.class.getName(), fixture.toString());
            Map<String, String> env = pb.environment();
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", LocalAws.IDENTITY);
            env.put("AWS_SECRET_ACCESS_KEY", LocalAws.CREDENTIAL);
            env.put("AWS_ENDPOINT_URL_DYNAMODB", aws.dynamoEndpoint());
            env.put("AWS_ENDPOINT_URL_S3", aws.s3Endpoint());
            env.put("AWS_ENDPOINT_URL_SNS", aws.snsEndpoint());
            env.put("TABLE_NAME", "entry-table");
            env.put("BUCKET_NAME", "entry-bucket");
            env.put("TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:stock-quote-alerts");
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
            ddb.scanPaginator(b -> b.tableName("entry-table")).items()
                    .forEach(i -> items.add(i.get("symbol").s() + "|" + i.get("timestamp").s()));
            assertThat(items).hasSize(10).contains("ALERT#GOOGL|2026-11-25", "NVDA|2026-11-25T14:40:00Z");
            List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket("entry-bucket")).contents().stream()
                    .map(S3Object::key).toList();
            assertThat(keys).hasSize(6).filteredOn(k -> k.startsWith("raw/dt=2026-11-25/ticker=")).hasSize(5);
            assertThat(aws.snsServer().findAll(postRequestedFor(urlEqualTo("/")))).hasSize(2);
        }
    }

    @Test
    void primingTouchesNoServerAndWritesNothing() throws Exception {
        int closedPort = LocalAws.freePort();
        AwsClients unreachable = AwsClients.fromEnvironment(Map.of("AWS_REGION", "us-east-1",
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
