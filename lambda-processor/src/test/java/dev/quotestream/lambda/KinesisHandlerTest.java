package dev.quotestream.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.SnsTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static dev.quotestream.lambda.TestSupport.event;
import static dev.quotestream.lambda.TestSupport.form;
import static dev.quotestream.lambda.TestSupport.json;
import static dev.quotestream.lambda.TestSupport.sequence;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler's processor against real loopback servers (dynalite, S3Proxy, WireMock-SNS: {@link LoopbackAws},
 * each test with its own table, bucket and topic), driven by Kinesis event fixtures as Lambda delivers them.
 * Every assertion reads the data at rest.
 *
 * <p>batch-10-records.json: #0 AAPL, #1 GOOGL -8.1363 % (anomaly), #2 MSFT, #3 a truncated JSON record,
 * #4 a duplicate of #1, #5 AAPL later, #6 NVDA +11.8501 % (critical), #7 GOOGL still beyond, #8 BRK-B,
 * #9 MSFT later.
 */
class KinesisHandlerTest {

    static final String ACCOUNT = "123456789012";
    static final String DAY = "2026-11-25";
    static final String KEY_PATTERN = "raw/dt=2026-11-25/ticker=%s/part-\\d{8}T\\d{9}Z-[0-9a-f]{8}\\.json";

    String table;
    String bucket;
    SnsTopic topic;
    DynamoDbClient ddb;
    S3Client s3;
    SnsClient sns;
    TestSupport.CapturedMetrics emf;
    ByteArrayOutputStream logs;

    @BeforeEach
    void freshResources() {
        LoopbackAws aws = LoopbackAws.shared();
        table = LoopbackAws.uniqueName("stock-quotes");
        bucket = LoopbackAws.uniqueName("stock-quotes-test");
        topic = aws.topic(ACCOUNT, LoopbackAws.uniqueName("stock-quote-alerts"));
        ddb = TestSupport.dynamoDb();
        s3 = TestSupport.s3();
        sns = TestSupport.sns();
        TestSupport.createTable(ddb, table);
        s3.createBucket(b -> b.bucket(bucket));
        emf = new TestSupport.CapturedMetrics();
        logs = new ByteArrayOutputStream();
    }

    @AfterEach
    void closeClients() {
        ddb.close();
        s3.close();
        sns.close();
        topic.close();
    }

    QuoteProcessor processor(DynamoDbClient dynamo, S3Client lake) {
        return new QuoteProcessor(ProcessorConfig.of(table, bucket, topic.arn()), new ServiceClients(dynamo, lake, sns),
                emf, new JsonLog("quote-processor", new PrintStream(logs, true, StandardCharsets.UTF_8)),
                Clock.systemUTC());
    }

    QuoteProcessor processor() {
        return processor(ddb, s3);
    }

    // ---------------------------------------------------------------------------------------------

    static KinesisEvent eventOf(String... quotes) {
        KinesisEvent event = new KinesisEvent();
        List<KinesisEvent.KinesisEventRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < quotes.length; i++) {
            KinesisEvent.Record r = new KinesisEvent.Record();
            r.setData(java.nio.ByteBuffer.wrap(quotes[i].getBytes(StandardCharsets.UTF_8)));
            r.setSequenceNumber("4959033827149025660855969253836157109592157598913658" + (9000 + i));
            r.setPartitionKey("P" + i);
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(r);
            records.add(record);
        }
        event.setRecords(records);
        return event;
    }

    /** The exchange's own trading day (issue 10): the same rule as the Camel route, from the shared source. */
    @Test
    void theTradingDayIsTheExchangesLocalDateAndTickersAreEscaped() {
        StreamsEventResponse response = processor().process(eventOf(
                "{\"symbol\":\"BHP.AX\",\"timestamp\":\"2026-11-24T23:30:00Z\",\"open\":45,\"high\":48.5,\"low\":44.9,"
                        + "\"price\":48.4,\"volume\":20000,\"previous_close\":45.1,\"currency\":\"AUD\","
                        + "\"exchange_timezone\":\"Australia/Sydney\"}",
                "{\"symbol\":\"EURUSD=X\",\"timestamp\":\"2026-11-24T23:30:00Z\",\"open\":1.05,\"high\":1.06,\"low\":1.04,"
                        + "\"price\":1.055,\"volume\":0,\"previous_close\":1.05,\"currency\":\"USD\","
                        + "\"exchange_timezone\":\"Europe/London\"}"), "req-td");
        assertThat(response.getBatchItemFailures()).isEmpty();
        // Sydney: 10:30 on the 25th there (23:30 UTC on the 24th); London: still the 24th.
        assertThat(objects("raw/").keySet()).anyMatch(k -> k.startsWith("raw/dt=2026-11-25/ticker=BHP.AX/"))
                .anyMatch(k -> k.startsWith("raw/dt=2026-11-24/ticker=EURUSD%3DX/")).hasSize(2);
        Map<String, Map<String, AttributeValue>> items = scan();
        assertThat(items).containsKeys("BHP.AX|2026-11-24T23:30:00Z", "EURUSD=X|2026-11-24T23:30:00Z", "ALERT#BHP.AX|2026-11-25");
        assertThat(items.get("BHP.AX|2026-11-24T23:30:00Z").get("currency").s()).isEqualTo("AUD");
        assertThat(items.get("BHP.AX|2026-11-24T23:30:00Z").get("exchange_timezone").s()).isEqualTo("Australia/Sydney");
    }


    @Test
    void aBatchWithAMalformedRecordAndADuplicateSucceedsAndWritesTheContractShapes() {
        KinesisEvent batch = event("batch-10-records.json");
        assertThat(batch.getRecords()).hasSize(10);

        StreamsEventResponse response = processor().process(batch, "req-1");

        assertThat(response.getBatchItemFailures()).isEmpty();

        // DynamoDB: 8 distinct quotes (the duplicate is one item) + 2 alert states.
        Map<String, Map<String, AttributeValue>> items = scan();
        assertThat(items.keySet()).containsExactlyInAnyOrder(
                "AAPL|2026-11-25T14:40:00Z", "AAPL|2026-11-25T14:40:30Z",
                "GOOGL|2026-11-25T14:40:00Z", "GOOGL|2026-11-25T14:41:00Z",
                "MSFT|2026-11-25T14:40:00Z", "MSFT|2026-11-25T14:40:30Z",
                "NVDA|2026-11-25T14:40:00Z", "BRK-B|2026-11-25T14:40:00Z",
                "ALERT#GOOGL|2026-11-25", "ALERT#NVDA|2026-11-25");
        Map<String, AttributeValue> googl = items.get("GOOGL|2026-11-25T14:40:00Z");
        assertThat(googl.keySet()).containsExactlyInAnyOrder("symbol", "timestamp", "open", "high", "low", "price",
                "volume", "previous_close", "change", "change_percent", "moving_avg", "anomaly", "currency",
                "exchange_timezone");
        assertThat(googl.get("currency").s()).isEqualTo("USD");
        assertThat(googl.get("exchange_timezone").s()).isEqualTo("America/New_York");
        assertNumber(googl, "open", "172.1");
        assertNumber(googl, "high", "173");
        assertNumber(googl, "low", "158.92");
        assertNumber(googl, "price", "159.31");
        assertNumber(googl, "previous_close", "173.42");
        assertNumber(googl, "volume", "18234011");
        assertNumber(googl, "change", "-14.11");
        assertNumber(googl, "change_percent", "-8.1363");
        assertNumber(googl, "moving_avg", "165.8325");
        assertThat(googl.get("anomaly").bool()).isTrue();
        Map<String, AttributeValue> aapl = items.get("AAPL|2026-11-25T14:40:00Z");
        assertNumber(aapl, "change_percent", "-0.911");
        assertThat(aapl.get("anomaly").bool()).isFalse();

        Map<String, AttributeValue> googlAlert = items.get("ALERT#GOOGL|2026-11-25");
        assertThat(googlAlert.get("in_anomaly").bool()).isTrue();
        assertThat(googlAlert.get("crossings").n()).isEqualTo("1");
        assertThat(googlAlert.get("last_timestamp").s()).isEqualTo("2026-11-25T14:40:00Z");

        // SNS: one alert per crossing: GOOGL (its duplicate and its 14:41 quote do not alert again) and NVDA.
        // Alerts of different symbols are published concurrently (issue 11): their order is not kept.
        List<LoggedRequest> publishes = topic.publishes().stream()
                .sorted(Comparator.comparing(r -> form(r.getBodyAsString()).get("Subject"))).toList();
        assertThat(publishes).hasSize(2);
        Map<String, String> first = form(publishes.get(0).getBodyAsString());
        assertThat(first).containsEntry("Action", "Publish").containsEntry("TopicArn", topic.arn())
                .containsEntry("Subject", "GOOGL -8.1363% vs previous close (warning)");
        // Contract change (issue 9): a third attribute, the idempotency key; numbers as given (159.31, not 159.3100).
        assertThat(TestSupport.messageAttributes(first)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "symbol", List.of("String", "GOOGL"), "severity", List.of("String", "warning"),
                "alert_key", List.of("String", "GOOGL|2026-11-25|1")));
        assertThat(json(first.get("Message"))).isEqualTo(json("""
                {"symbol":"GOOGL","timestamp":"2026-11-25T14:40:00Z","trading_day":"2026-11-25","price":159.31,
                 "previous_close":173.42,"change_percent":-8.1363,"threshold_percent":5,"direction":"down",
                 "severity":"warning","crossing":1,"alert_key":"GOOGL|2026-11-25|1",
                 "subject":"GOOGL -8.1363% vs previous close (warning)",
                 "message":"GOOGL moved down 8.1363% to 159.31 (previous close 173.42) at 2026-11-25T14:40:00Z; threshold 5%, crossing #1 on 2026-11-25."}"""));
        assertThat(first.get("Message")).contains("\"price\":159.31,");
        Map<String, String> second = form(publishes.get(1).getBodyAsString());
        assertThat(second).containsEntry("Subject", "NVDA +11.8501% vs previous close (critical)");
        assertThat(TestSupport.messageAttributes(second)).containsEntry("severity", List.of("String", "critical"));

        // S3 lake: one object per partition, the raw quote lines (the redelivered duplicate included).
        Map<String, String> lake = objects("raw/");
        assertThat(lake).hasSize(5);
        assertThat(lake.keySet()).allSatisfy(key -> assertThat(key).matches(
                "raw/dt=2026-11-25/ticker=(AAPL|GOOGL|MSFT|NVDA|BRK-B)/part-\\d{8}T\\d{9}Z-[0-9a-f]{8}\\.json"));
        assertThat(objectOf(lake, "GOOGL")).isEqualTo("""
                {"symbol":"GOOGL","timestamp":"2026-11-25T14:40:00Z","open":172.1,"high":173,"low":158.92,"price":159.31,"volume":18234011,"previous_close":173.42,"currency":"USD","exchange_timezone":"America/New_York"}
                {"symbol":"GOOGL","timestamp":"2026-11-25T14:40:00Z","open":172.1,"high":173,"low":158.92,"price":159.31,"volume":18234011,"previous_close":173.42,"currency":"USD","exchange_timezone":"America/New_York"}
                {"symbol":"GOOGL","timestamp":"2026-11-25T14:41:00Z","open":172.1,"high":173,"low":158.5,"price":158.77,"volume":18512990,"previous_close":173.42,"currency":"USD","exchange_timezone":"America/New_York"}
                """);
        assertThat(objectOf(lake, "MSFT")).isEqualTo("""
                {"symbol":"MSFT","timestamp":"2026-11-25T14:40:00Z","open":421.5,"high":425.12,"low":419.8,"price":424.0117,"volume":9912345,"previous_close":420.55,"currency":"USD","exchange_timezone":"America/New_York"}
                {"symbol":"MSFT","timestamp":"2026-11-25T14:40:30Z","open":421.5,"high":425.12,"low":419.8,"price":424.2,"volume":9950001,"previous_close":420.55,"currency":"USD","exchange_timezone":"America/New_York"}
                """);
        assertThat(objectOf(lake, "AAPL")).hasLineCount(2).contains("\"low\":208,");

        // The malformed record: dead-lettered once with its reason, and not reported as failed.
        Map<String, String> deadLetters = objects("dead-letter/");
        assertThat(deadLetters).hasSize(1);
        String dlKey = deadLetters.keySet().iterator().next();
        // Contract change (issue 9): the key is the record's position (day of its arrival, shard, sequence number),
        // so a redelivery overwrites it.
        assertThat(dlKey).isEqualTo("dead-letter/dt=2026-11-25/quote-process/shardId-000000000000-" + sequence(batch, 3)
                + ".json");
        JsonNode deadLetter = json(deadLetters.get(dlKey));
        assertThat(deadLetter.get("stage").asText()).isEqualTo("quote-process");
        assertThat(deadLetter.get("error_type").asText()).startsWith("com.fasterxml.jackson.core.");
        assertThat(deadLetter.get("reason").asText()).startsWith("JsonParseException: Unexpected character");
        assertThat(deadLetter.get("input").asText())
                .isEqualTo("{\"symbol\":\"MSFT\",\"timestamp\":\"2026-11-25T14:40:30Z\",\"open\":421.5,\"high\":425.");
        assertThat(deadLetter.get("symbol").asText()).isEqualTo("MSFT"); // not decodable: the partition key
        assertThat(deadLetter.fieldNames()).toIterable().containsExactly(
                "failed_at", "stage", "symbol", "reason", "error_type", "http_status", "shard_id", "sequence_number",
                "input", "input_bytes", "input_sha256", "input_truncated");

        // EMF metrics and structured logs.
        assertThat(emf.documents).hasSize(1);
        assertThat(emf.last("RecordsProcessed")).isEqualTo(9);
        assertThat(emf.last("Anomalies")).isEqualTo(4);
        assertThat(emf.last("AlertsPublished")).isEqualTo(2);
        assertThat(emf.last("DeadLettered")).isEqualTo(1);
        assertThat(emf.last("Failures")).isEqualTo(0);
        assertThat(emf.last("ProcessingLatency")).isGreaterThan(0);
        JsonNode emfDoc = json(emf.documents.get(0));
        assertThat(emfDoc.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("QuoteStream");
        List<JsonNode> logLines = logs.toString(StandardCharsets.UTF_8).lines().map(TestSupport::json).toList();
        assertThat(logLines).allSatisfy(l -> assertThat(l.has("level") && l.has("event") && l.has("timestamp")).isTrue());
        assertThat(logLines).anySatisfy(l -> assertThat(l.get("event").asText()).isEqualTo("batch_processed"));
    }

    @Test
    void exactlyTheSequenceNumberOfATransientlyFailingRecordIsReportedAndItsRetrySucceeds() {
        KinesisEvent batch = event("batch-10-records.json");
        String failing = sequence(batch, 9);
        // DynamoDB never takes MSFT 14:40:30 (record #9): BatchWriteItem leaves it in UnprocessedItems on every
        // attempt, and a call holding it alone fails as a connection reset would.
        DynamoDbClient flaky = leavingUnprocessed("MSFT", "2026-11-25T14:40:30Z",
                new java.util.concurrent.atomic.AtomicBoolean(true));

        StreamsEventResponse response = processor(flaky, s3).process(batch, "req-2");

        assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                .containsExactly(failing);
        assertThat(scan()).doesNotContainKey("MSFT|2026-11-25T14:40:30Z").containsKey("MSFT|2026-11-25T14:40:00Z")
                .hasSize(9);
        assertThat(objectOf(objects("raw/"), "MSFT")).hasLineCount(1).contains("2026-11-25T14:40:00Z");
        assertThat(emf.last("Failures")).isEqualTo(1);
        assertThat(emf.last("RecordsProcessed")).isEqualTo(8);

        // Lambda retries from the lowest failed sequence number; this time the write goes through.
        StreamsEventResponse retry = processor().process(TestSupport.from(batch, 9), "req-3");

        assertThat(retry.getBatchItemFailures()).isEmpty();
        Map<String, Map<String, AttributeValue>> items = scan();
        assertThat(items).hasSize(10);
        assertNumber(items.get("MSFT|2026-11-25T14:40:30Z"), "price", "424.2");
        assertThat(topic.publishes()).hasSize(2);
        flaky.close();
    }

    @Test
    void aRecordThatCanNeverSucceedIsDeadLetteredWithItsReasonAndDoesNotBlockTheShard() {
        KinesisEvent batch = event("batch-invalid-quote.json");

        StreamsEventResponse response = processor().process(batch, "req-4");

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(scan().keySet()).containsExactly("AMZN|2026-11-25T15:02:30Z");
        Map<String, String> deadLetters = objects("dead-letter/");
        assertThat(deadLetters).hasSize(1);
        Map.Entry<String, String> dl = deadLetters.entrySet().iterator().next();
        assertThat(dl.getKey()).isEqualTo("dead-letter/dt=2026-11-25/quote-process/shardId-000000000001-"
                + sequence(batch, 0) + ".json");
        JsonNode record = json(dl.getValue());
        assertThat(record.get("symbol").asText()).isEqualTo("AMZN");
        assertThat(record.get("reason").asText())
                .isEqualTo("invalid quote AMZN at 2026-11-25T15:02:00Z: high (219.9) is below low (222.4)");
        assertThat(record.get("error_type").asText()).isEqualTo("dev.quotestream.core.metrics.InvalidQuoteException");
        assertThat(record.get("http_status").isNull()).isTrue();
        assertThat(record.get("input").asText()).contains("\"high\":219.9");
        assertThat(objectOf(objects("raw/"), "AMZN")).hasLineCount(1).contains("15:02:30Z");
        assertThat(emf.last("DeadLettered")).isEqualTo(1);
    }

    @Test
    void whenThePoisonRecordCannotBeDeadLetteredItIsReportedFailedSoLambdaRetriesIt() {
        KinesisEvent batch = event("batch-invalid-quote.json");
        S3Client noDeadLetters = TestSupport.s3(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutObjectRequest put && put.key().startsWith("dead-letter/")) {
                    throw SdkClientException.create("simulated: S3 unreachable");
                }
            }
        });

        StreamsEventResponse response = processor(ddb, noDeadLetters).process(batch, "req-5");

        assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                .containsExactly(sequence(batch, 0));
        assertThat(objects("dead-letter/")).isEmpty();
        assertThat(scan()).containsOnlyKeys("AMZN|2026-11-25T15:02:30Z");
        noDeadLetters.close();
    }

    @Test
    void redeliveringTheWholeBatchLeavesTheSameItemsAndSendsNoSecondAlert() {
        KinesisEvent batch = event("batch-10-records.json");
        processor().process(batch, "req-6");
        Map<String, Map<String, AttributeValue>> once = scan();

        StreamsEventResponse again = processor().process(event("batch-10-records.json"), "req-7");

        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(scan()).isEqualTo(once);
        assertThat(topic.publishes()).hasSize(2);
        assertThat(emf.last("AlertsPublished")).isEqualTo(0);
        // The lake is at-least-once (as on the Camel side): the redelivered batch is a second set of objects.
        assertThat(objects("raw/")).hasSize(10);
    }

    /**
     * Contract change (issue 9): a publish that fails for a reason an operator can fix (here SNS's
     * AuthorizationError) is not dead-lettered any more. The alert stays pending in the outbox, its records are
     * reported failed, and Lambda's retry publishes it, once, with its key.
     */
    @Test
    void aFailedAlertPublishStaysPendingAndTheRetryPublishesItOnceWithItsKey() {
        topic.stub(SnsTopic.publish()
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "text/xml").withBody("""
                        <ErrorResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
                          <Error><Type>Sender</Type><Code>AuthorizationError</Code>
                          <Message>User is not authorized to perform: SNS:Publish</Message></Error>
                          <RequestId>9b4c6b5e-1f0a-5b6e-8c11-3d3f0e9a1a11</RequestId>
                        </ErrorResponse>""")));
        KinesisEvent batch = event("batch-10-records.json");

        StreamsEventResponse response = processor().process(batch, "req-8");

        // GOOGL's crossing (#1, its duplicate #4, its later quote #7 all find it pending) and NVDA's (#6).
        assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                .containsExactly(sequence(batch, 1), sequence(batch, 4), sequence(batch, 6), sequence(batch, 7));
        assertThat(objects("dead-letter/").keySet()).noneMatch(k -> k.contains("/alert-sink/"));
        Map<String, AttributeValue> googlState = scan().get("ALERT#GOOGL|2026-11-25");
        assertThat(googlState.get("pending_alert_1").s()).contains("\"alert_key\":\"GOOGL|2026-11-25|1\"");
        // The attempts: one per distinct alert and batch (issue 11; the per-record loop made one per record: 4),
        // with the SDK's own retries of a 403: none.
        assertThat(topic.publishes()).hasSize(2);

        // The permission is fixed; Lambda retries from the first failed record: each alert goes out once.
        topic.close();
        topic.resetRequests();
        StreamsEventResponse retry = processor().process(TestSupport.from(batch, 1), "req-9");
        assertThat(retry.getBatchItemFailures()).isEmpty();
        List<Map<String, String>> sent = topic.publishes().stream().map(r -> form(r.getBodyAsString())).toList();
        assertThat(sent).extracting(p -> TestSupport.messageAttributes(p).get("alert_key").get(1))
                .containsExactlyInAnyOrder("GOOGL|2026-11-25|1", "NVDA|2026-11-25|1");
        assertThat(scan().get("ALERT#GOOGL|2026-11-25")).doesNotContainKey("pending_alert_1");
        // A further redelivery sends nothing.
        topic.resetRequests();
        processor().process(event("batch-10-records.json"), "req-10");
        assertThat(topic.publishes()).isEmpty();
    }

    /** A publish SNS rejects for good (InvalidParameter): dead-lettered with the alert, marked done, not retried. */
    @Test
    void aPublishRejectedForGoodIsDeadLetteredWithTheAlert() {
        topic.stub(SnsTopic.publish()
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "text/xml").withBody("""
                        <ErrorResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
                          <Error><Type>Sender</Type><Code>InvalidParameter</Code>
                          <Message>Invalid parameter: Subject</Message></Error>
                          <RequestId>9b4c6b5e-1f0a-5b6e-8c11-3d3f0e9a1a12</RequestId>
                        </ErrorResponse>""")));
        KinesisEvent batch = event("batch-10-records.json");

        StreamsEventResponse response = processor().process(batch, "req-11");

        assertThat(response.getBatchItemFailures()).isEmpty();
        Map<String, String> alertLetters = new TreeMap<>();
        objects("dead-letter/").forEach((k, v) -> {
            if (k.contains("/alert-sink/")) {
                alertLetters.put(k, v);
            }
        });
        assertThat(alertLetters).hasSize(2);
        List<JsonNode> letters = alertLetters.values().stream().map(TestSupport::json)
                .sorted(Comparator.comparing(n -> n.get("symbol").asText())).toList();
        assertThat(letters.get(0).get("reason").asText()).contains("Invalid parameter");
        assertThat(json(letters.get(0).get("input").asText()).get("alert_key").asText()).isEqualTo("GOOGL|2026-11-25|1");
        assertThat(letters.get(1).get("symbol").asText()).isEqualTo("NVDA");
        assertThat(scan().get("ALERT#GOOGL|2026-11-25")).doesNotContainKey("pending_alert_1");
        topic.close();
        topic.resetRequests();
        processor().process(event("batch-10-records.json"), "req-12");
        assertThat(topic.publishes()).isEmpty();
    }

    // ------------------------------------------------------------------ alert state across retries and containers

    /** An AMD quote of 2026-11-25 at {@code time} (UTC) at {@code price}; previous close 100, threshold 5 %. */
    static String amd(String time, String price) {
        return "{\"symbol\":\"AMD\",\"timestamp\":\"2026-11-25T" + time + "Z\",\"open\":100,\"high\":130,"
                + "\"low\":80,\"price\":" + price + ",\"volume\":1000,\"previous_close\":100,\"currency\":\"USD\","
                + "\"exchange_timezone\":\"America/New_York\"}";
    }

    static final ExecutionAttribute<WriteRequest> LEFT_UNPROCESSED = new ExecutionAttribute<>("leftUnprocessed");

    /** A client whose BatchWriteItem never takes this item while {@code throttled} (left in UnprocessedItems). */
    DynamoDbClient leavingUnprocessed(String symbol, String timestamp, java.util.concurrent.atomic.AtomicBoolean throttled) {
        ExecutionAttribute<WriteRequest> dropped = LEFT_UNPROCESSED;
        return TestSupport.dynamoDb(new ExecutionInterceptor() {
            @Override
            public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
                if (!throttled.get() || !(context.request() instanceof BatchWriteItemRequest write)) {
                    return context.request();
                }
                Map<String, List<WriteRequest>> kept = new java.util.HashMap<>();
                write.requestItems().forEach((name, requests) -> {
                    List<WriteRequest> others = new java.util.ArrayList<>();
                    for (WriteRequest r : requests) {
                        Map<String, AttributeValue> item = r.putRequest().item();
                        if (symbol.equals(item.get("symbol").s()) && timestamp.equals(item.get("timestamp").s())) {
                            attributes.putAttribute(dropped, r);
                        } else {
                            others.add(r);
                        }
                    }
                    if (others.isEmpty()) {
                        throw SdkClientException.create("simulated: connection reset by peer");
                    }
                    kept.put(name, others);
                });
                return write.toBuilder().requestItems(kept).build();
            }

            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                WriteRequest unprocessed = attributes.getAttribute(dropped);
                if (unprocessed == null || !(context.response() instanceof BatchWriteItemResponse response)) {
                    return context.response();
                }
                return response.toBuilder().unprocessedItems(Map.of(table, List.of(unprocessed))).build();
            }
        });
    }

    /** The alert keys published so far, each with the market time of the quote it is about. */
    List<String> publishedAlerts() {
        return topic.publishes().stream().map(r -> json(form(r.getBodyAsString()).get("Message")))
                .map(m -> m.get("alert_key").asText() + " @ " + m.get("timestamp").asText()).toList();
    }

    /** Every lake line of AMD, across its objects. */
    List<String> amdLakeTimestamps() {
        return objects("raw/dt=2026-11-25/ticker=AMD/").values().stream().flatMap(String::lines)
                .map(line -> json(line).get("timestamp").asText()).sorted().toList();
    }

    /**
     * AMD is within; the batch: up at 14:40 (its item left unprocessed), back at 14:41, up at 14:42. The records
     * behind the failed one are held back, so Lambda's re-delivery (from the lowest failed sequence number) finds
     * the state as it was: two crossings, two alerts, each about its own quote, and each lake line written once.
     */
    @Test
    void recordsBehindAFailedOneAreHeldBackAndTheRedeliveryAlertsBothCrossings() {
        java.util.concurrent.atomic.AtomicBoolean throttled = new java.util.concurrent.atomic.AtomicBoolean(true);
        DynamoDbClient flaky = leavingUnprocessed("AMD", "2026-11-25T14:40:00Z", throttled);
        QuoteProcessor container = processor(flaky, s3);
        KinesisEvent batch = eventOf(amd("14:40:00", "110"), amd("14:41:00", "101"), amd("14:42:00", "112"));

        StreamsEventResponse response = container.process(batch, "req-held-1");

        assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                .containsExactly(sequence(batch, 0), sequence(batch, 1), sequence(batch, 2));
        assertThat(logs.toString(StandardCharsets.UTF_8))
                .contains("held back behind an earlier failed record " + sequence(batch, 0));
        assertThat(topic.publishes()).isEmpty();
        assertThat(amdLakeTimestamps()).isEmpty();
        assertThat(scan()).doesNotContainKey("ALERT#AMD|2026-11-25");

        // The throttling is over; Lambda re-delivers from the first failed record, to the same warm container.
        throttled.set(false);
        StreamsEventResponse retry = container.process(TestSupport.from(batch, 0), "req-held-2");

        assertThat(retry.getBatchItemFailures()).isEmpty();
        assertThat(publishedAlerts()).containsExactlyInAnyOrder("AMD|2026-11-25|1 @ 2026-11-25T14:40:00Z",
                "AMD|2026-11-25|2 @ 2026-11-25T14:42:00Z");
        Map<String, AttributeValue> state = scan().get("ALERT#AMD|2026-11-25");
        assertThat(state.get("crossings").n()).isEqualTo("2");
        assertThat(state.get("in_anomaly").bool()).isTrue();
        assertThat(state.keySet()).noneMatch(name -> name.startsWith("pending_alert_"));
        assertThat(amdLakeTimestamps()).containsExactly("2026-11-25T14:40:00Z", "2026-11-25T14:41:00Z",
                "2026-11-25T14:42:00Z");
        flaky.close();
    }

    /**
     * Lambda does not pin a shard to one execution environment: AMD's batches alternate between two warm
     * containers over one table, bucket and topic. Up (A), back (B), up (A), back (B), up (A): three crossings.
     * A container that trusted its own memory would see "still beyond" at the third batch and alert nothing.
     */
    @Test
    void batchesOfOneSymbolAlternatingBetweenTwoContainersAlertEveryCrossing() {
        QuoteProcessor a = processor();
        QuoteProcessor b = processor();
        String[][] batches = {{"14:40:00", "110"}, {"14:41:00", "101"}, {"14:42:00", "112"}, {"14:43:00", "101"},
                {"14:44:00", "113"}};
        for (int i = 0; i < batches.length; i++) {
            StreamsEventResponse response = (i % 2 == 0 ? a : b).process(eventOf(amd(batches[i][0], batches[i][1])),
                    "req-alternate-" + i);
            assertThat(response.getBatchItemFailures()).as("batch " + i).isEmpty();
        }

        assertThat(publishedAlerts()).containsExactlyInAnyOrder("AMD|2026-11-25|1 @ 2026-11-25T14:40:00Z",
                "AMD|2026-11-25|2 @ 2026-11-25T14:42:00Z", "AMD|2026-11-25|3 @ 2026-11-25T14:44:00Z");
        Map<String, AttributeValue> state = scan().get("ALERT#AMD|2026-11-25");
        assertThat(state.get("crossings").n()).isEqualTo("3");
        assertThat(state.get("in_anomaly").bool()).isTrue();
        assertThat(state.get("last_timestamp").s()).isEqualTo("2026-11-25T14:44:00Z");
        assertThat(state.keySet()).noneMatch(name -> name.startsWith("pending_alert_"));
    }

    // ---------------------------------------------------------------------------------------------

    static void assertNumber(Map<String, AttributeValue> item, String name, String expected) {
        AttributeValue value = item.get(name);
        assertThat(value).as(name).isNotNull();
        assertThat(value.n()).as(name + " is an N").isNotNull();
        assertThat(new BigDecimal(value.n())).as(name).isEqualByComparingTo(expected);
    }

    Map<String, Map<String, AttributeValue>> scan() {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        ddb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
                .forEach(i -> items.put(i.get("symbol").s() + "|" + i.get("timestamp").s(), i));
        return items;
    }

    Map<String, String> objects(String prefix) {
        Map<String, String> objects = new TreeMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            objects.put(o.key(), s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asUtf8String());
        }
        return objects;
    }

    static String objectOf(Map<String, String> lake, String symbol) {
        List<Map.Entry<String, String>> matching = lake.entrySet().stream()
                .filter(e -> e.getKey().matches(String.format(KEY_PATTERN, java.util.regex.Pattern.quote(symbol))))
                .toList();
        assertThat(matching).as("lake objects of " + symbol).hasSize(1);
        return matching.get(0).getValue();
    }
}
