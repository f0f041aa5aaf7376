package dev.quotestream.aws;

import dev.quotestream.core.aws.AwsClients;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.quotestream.pipeline.ExchangeCounter;
import dev.quotestream.pipeline.PipelineRunner;
import dev.quotestream.testing.HttpFront;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.LoopbackAws.Service;
import dev.quotestream.testing.SnsTopic;
import dev.quotestream.testing.TcpProxy;
import org.apache.camel.spi.CamelEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real YAML routes in the aws profile against real servers speaking the AWS wire protocols on
 * loopback: kinesis-local, dynalite, S3Proxy and WireMock (SNS), shared with the other tests of this JVM.
 * Each test has its own stream, table, bucket and topic. Assertions read the data at rest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsPipelineTest {

    private LoopbackAws aws;
    private DynamoDbClient dynamoDb;
    private S3Client s3;
    private KinesisClient kinesis;
    private final ObjectMapper json = new ObjectMapper();
    private int quoteMinute;
    /** This test's stream, table, bucket (bootstrap creates them) and topic: no test sees another's data. */
    private LoopbackProfile resources;
    private String stream;

    @BeforeAll
    void clients() {
        aws = LoopbackAws.shared();
        AwsClients clients = LoopbackProfile.clients(aws);
        dynamoDb = clients.dynamoDb();
        s3 = clients.s3();
        kinesis = LoopbackProfile.kinesis(clients);
    }

    @BeforeEach
    void ownResources(org.junit.jupiter.api.TestInfo test) {
        resources = LoopbackProfile.forTest(aws, test.getTestMethod().orElseThrow().getName());
        stream = resources.stream();
    }

    @AfterEach
    void removeTopicStubs() {
        resources.close();
    }

    private Map<String, String> properties(Path data, boolean fetch) throws Exception {
        Map<String, String> p = new HashMap<>(PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort()));
        p.putAll(resources.properties());
        p.put("camel.main.profile", "aws");
        p.put("pipeline.fetch-in-camel", String.valueOf(fetch));
        p.put("quotes.initial-delay-ms", "1500");
        p.put("pipeline.max-redeliveries", "8");
        p.put("pipeline.redelivery-delay-ms", "200");
        p.put("pipeline.max-redelivery-delay-ms", "2000");
        p.put("lake.flush-interval-ms", "1000");
        p.put("report.schedule-enabled", "false");
        return p;
    }

    // ---- data at rest -------------------------------------------------------------------------------

    private List<Map<String, AttributeValue>> items(String keyPrefix) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamoDb.scanPaginator(b -> b.tableName(resources.table()).consistentRead(true)).items().forEach(items::add);
        return items.stream().filter(i -> keyPrefix == null ? !i.get("symbol").s().contains("#")
                : i.get("symbol").s().startsWith(keyPrefix)).collect(Collectors.toList());
    }

    private List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(resources.bucket()).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    private String object(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(resources.bucket()).key(key)).asUtf8String();
    }

    private List<Map<String, String>> publishes() {
        List<Map<String, String>> out = new ArrayList<>();
        for (var event : resources.topic().publishEvents()) {
            Request r = event.getRequest();
            Map<String, String> form = form(r.getBodyAsString());
            if ("Publish".equals(form.get("Action"))) {
                form.put("status", String.valueOf(event.getResponse().getStatus()));
                out.add(form);
            }
        }
        return out;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    /** A valid quote JSON straight onto the stream, as quote-fetch would publish it; returns its sequence number. */
    private String putQuote(String symbol, double price, double previousClose) throws Exception {
        String ts = Instant.parse("2026-11-25T14:30:00Z").plus(quoteMinute++, ChronoUnit.MINUTES).toString();
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("symbol", symbol);
        q.put("timestamp", ts);
        q.put("open", previousClose);
        q.put("high", Math.max(price, previousClose));
        q.put("low", Math.min(price, previousClose));
        q.put("price", price);
        q.put("volume", 1000 + quoteMinute);
        q.put("previous_close", previousClose);
        q.put("currency", "USD");
        q.put("exchange_timezone", "America/New_York");
        SdkBytes record = SdkBytes.fromUtf8String(json.writeValueAsString(q));
        return kinesis.putRecord(b -> b.streamName(stream).partitionKey(symbol).data(record)).sequenceNumber();
    }

    private static List<String> crossings(List<Map<String, AttributeValue>> quoteItems) {
        List<Map<String, AttributeValue>> sorted = new ArrayList<>(quoteItems);
        sorted.sort((a, b) -> (a.get("symbol").s() + a.get("timestamp").s()).compareTo(b.get("symbol").s() + b.get("timestamp").s()));
        List<String> out = new ArrayList<>();
        Map<String, Boolean> in = new HashMap<>();
        for (var i : sorted) {
            String key = i.get("symbol").s() + "|" + i.get("timestamp").s().substring(0, 10);
            boolean anomaly = i.get("anomaly").bool();
            if (anomaly && !in.getOrDefault(key, false)) {
                out.add(i.get("symbol").s() + "|" + i.get("timestamp").s());
            }
            in.put(key, anomaly);
        }
        return out.stream().sorted().toList();
    }

    // ---- scenarios ----------------------------------------------------------------------------------

    private static final int LAKE_BATCH = 4;

    @Test
    void happyPathEndToEnd(@TempDir Path data) throws Exception {
        Map<String, String> props = properties(data, true);
        // The lake batches by size here: an object per 4 quotes of a partition, the rest flushed at shutdown.
        // The timed flush stays out of the run: with one quote per symbol per second and a 1 s flush, how many
        // quotes shared an object was left to timing (under load, every object held one).
        props.put("lake.max-records-per-object", String.valueOf(LAKE_BATCH));
        props.put("lake.flush-interval-ms", "600000");
        int published;
        try (PipelineRunner app = PipelineRunner.start("aws", props)) {
            ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            ExchangeCounter inLakeBuffer = ExchangeCounter.linesToLake(app.context());
            assertThat(stored.await(25, Duration.ofSeconds(90))).as("25 quotes through Kinesis into DynamoDB").isTrue();
            app.context().getRouteController().stopRoute("quote-fetch");
            // Quotes are published per cycle with PutRecords (KinesisQuotePublisher), counted by fetchOutcomes.
            published = (int) app.context().getRegistry()
                    .lookupByNameAndType("fetchOutcomes", dev.quotestream.quotes.FetchOutcomes.class).get("published");
            assertThat(stored.await(published, Duration.ofSeconds(60))).as("every published quote stored").isTrue();
            // A stop writes the buffer when it begins, and again after a batch still in progress: wait for the last
            // batch's lines, so that the stop writes one object per partition (was flaky: [4, 1, 1] for 6 lines).
            assertThat(inLakeBuffer.await(published, Duration.ofSeconds(60))).as("every stored quote in the lake's buffer")
                    .isTrue();
            // Server-side encryption is requested on every lake and dead-letter object.
            var lakeEndpoint = (org.apache.camel.component.aws2.s3.AWS2S3Endpoint) app.context()
                    .getEndpoint(app.context().resolvePropertyPlaceholders("{{lake.uri}}"));
            assertThat(lakeEndpoint.getConfiguration().isUseSSES3()).isTrue();
        }
        // DynamoDB: one item per published quote, contract shape, numbers as N and anomaly as BOOL.
        List<Map<String, AttributeValue>> quotes = items(null);
        assertThat(quotes).hasSize(published);
        Map<String, AttributeValue> any = quotes.get(0);
        assertThat(any.keySet()).containsExactlyInAnyOrder("symbol", "timestamp", "open", "high", "low", "price",
                "volume", "previous_close", "change", "change_percent", "moving_avg", "anomaly", "currency",
                "exchange_timezone");
        // N values are exact decimals (DynamoDB drops trailing zeros of the scale-4 values).
        assertThat(any.get("price").n()).matches("\\d+(\\.\\d{1,4})?");
        assertThat(any.get("change_percent").n()).matches("-?\\d+(\\.\\d{1,4})?");
        assertThat(any.get("anomaly").bool()).isNotNull();
        assertThat(quotes.stream().map(i -> i.get("symbol").s()).distinct()).hasSize(5);

        // S3: the contract's key layout, JSON Lines, one line per item, batched.
        List<String> lake = keys("raw/");
        assertThat(lake).isNotEmpty().allSatisfy(k -> assertThat(k)
                .matches("raw/dt=\\d{4}-\\d{2}-\\d{2}/ticker=[A-Z]+/part-\\d{8}T\\d{9}Z-[0-9a-f]{8}\\.json"));
        List<String> lines = lake.stream().flatMap(k -> object(k).lines()).toList();
        assertThat(lines).hasSize(published);
        assertThat(lake.size()).isLessThan(published);
        Map<String, List<Integer>> linesPerObject = new TreeMap<>();
        lake.forEach(k -> linesPerObject.computeIfAbsent(k.substring(0, k.lastIndexOf('/')), x -> new ArrayList<>())
                .add((int) object(k).lines().count()));
        linesPerObject.forEach((partition, counts) -> {
            int inPartition = counts.stream().mapToInt(Integer::intValue).sum();
            List<Integer> expected = new ArrayList<>(Collections.nCopies(inPartition / LAKE_BATCH, LAKE_BATCH));
            if (inPartition % LAKE_BATCH > 0) {
                expected.add(inPartition % LAKE_BATCH);
            }
            assertThat(counts).as("lines per object in " + partition).containsExactlyInAnyOrderElementsOf(expected);
        });
        assertThat(json.readValue(lines.get(0), Map.class).keySet()).containsExactly("symbol", "timestamp", "open",
                "high", "low", "price", "volume", "previous_close", "currency", "exchange_timezone");
        assertThat(keys("dead-letter/")).isEmpty();

        // SNS: exactly one Publish per crossing, with subject, message and attributes.
        List<String> expected = crossings(quotes);
        List<Map<String, String>> published200 = publishes();
        assertThat(expected).isNotEmpty();
        assertThat(published200).hasSize(expected.size()).allSatisfy(p -> {
            assertThat(p.get("TopicArn")).isEqualTo(resources.topic().arn());
            assertThat(p.get("Subject")).contains("% vs previous close");
            assertThat(p.get("status")).isEqualTo("200");
        });
        List<String> alerted = new ArrayList<>();
        for (Map<String, String> p : published200) {
            Map<?, ?> message = json.readValue(p.get("Message"), Map.class);
            alerted.add(message.get("symbol") + "|" + message.get("timestamp"));
            Map<String, String> attributes = new HashMap<>();
            for (int i = 1; p.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
                attributes.put(p.get("MessageAttributes.entry." + i + ".Name"),
                        p.get("MessageAttributes.entry." + i + ".Value.StringValue"));
            }
            // Exactly the contract's three attributes (issue 9: the idempotency key; no Content-Type).
            assertThat(attributes).containsOnly(Map.entry("symbol", (String) message.get("symbol")),
                    Map.entry("severity", (String) message.get("severity")),
                    Map.entry("alert_key", (String) message.get("alert_key")));
        }
        assertThat(alerted.stream().sorted().toList()).isEqualTo(expected);

        // The de-duplication state and the stream checkpoint live in the same table.
        assertThat(items(dev.quotestream.core.aws.DynamoAlertOutbox.KEY_PREFIX)).isNotEmpty()
                .allSatisfy(i -> assertThat(i.get("crossings").n()).isNotBlank());
        assertThat(items(dev.quotestream.core.aws.DynamoCheckpointStore.KEY_PREFIX)).hasSize(1);
    }

    @Test
    void restartWithoutLoss(@TempDir Path data) throws Exception {
        Map<String, String> p = properties(data, false);
        AwsBootstrap.ensureStream(kinesis, stream, 1);
        for (int i = 0; i < 40; i++) {
            putQuote("RST", 100 + i % 3, 100);
        }
        int firstRun;
        try (PipelineRunner app = PipelineRunner.start("aws", withSlowConsumer(p))) {
            ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            ExchangeCounter inLakeBuffer = ExchangeCounter.linesToLake(app.context());
            assertThat(stored.await(8, Duration.ofSeconds(60))).isTrue();
            // stop mid-stream: most records are still unread
            app.close();
            firstRun = stored.count();
        }
        assertThat(firstRun).isLessThan(40);
        assertThat(items(dev.quotestream.core.aws.DynamoCheckpointStore.KEY_PREFIX)).hasSize(1);
        String last = null;
        for (int i = 0; i < 20; i++) {
            last = putQuote("RST", 100, 100);
        }
        String lastSequence = last;
        int secondRun;
        try (PipelineRunner app = PipelineRunner.start("aws", withSlowConsumer(p))) {
            ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            ExchangeCounter inLakeBuffer = ExchangeCounter.linesToLake(app.context());
            // One shard is read in order: once the last record is stored, every earlier one was handled.
            ExchangeCounter lastStored = ExchangeCounter.of(app.context(), e -> e instanceof CamelEvent.ExchangeSentEvent sent
                    && sent.getEndpoint().getEndpointUri().equals("direct://table-sink")
                    && sent.getExchange().getMessage().getBody() instanceof dev.quotestream.core.Batch batch
                    && batch.entries().stream().anyMatch(r -> lastSequence.equals(r.record().sequence())));
            assertThat(lastStored.await(1, Duration.ofSeconds(90))).isTrue();
            secondRun = stored.count();
        }
        assertThat(items(null)).hasSize(60); // nothing missing; a record read twice is the same item
        // The second run resumed after the checkpoint instead of re-reading the stream from the start.
        // A graceful stop checkpoints every record whose outcome was final (issue 9): none is read twice.
        assertThat(secondRun).isEqualTo(60 - firstRun);
    }

    private static Map<String, String> withSlowConsumer(Map<String, String> p) {
        Map<String, String> slow = new HashMap<>(p);
        slow.put("stream.from-uri", "aws2-kinesis:{{aws.stream}}?amazonKinesisClient=#kinesisClient&cborEnabled=false"
                + "&iteratorType=TRIM_HORIZON&maxResultsPerRequest=2&delay=300");
        return slow;
    }

    @Test
    void dynamoDbOutageIsRiddenOutWithRetriesAndNothingIsLost(@TempDir Path data) throws Exception {
        AwsBootstrap.ensureStream(kinesis, stream, 1);
        Map<String, String> p = properties(data, false);
        try (TcpProxy dynamoProxy = aws.proxy(Service.DYNAMODB)) {
            p.put("aws.dynamodb-endpoint", dynamoProxy.endpoint());
            try (PipelineRunner app = PipelineRunner.start("aws", p)) {
                ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            ExchangeCounter inLakeBuffer = ExchangeCounter.linesToLake(app.context());
                ExchangeCounter retries = ExchangeCounter.of(app.context(), e -> e instanceof CamelEvent.ExchangeRedeliveryEvent);
                for (int i = 0; i < 5; i++) {
                    putQuote("OUT", 100, 100);
                }
                assertThat(stored.await(5, Duration.ofSeconds(60))).isTrue();
                dynamoProxy.down();
                for (int i = 0; i < 10; i++) {
                    putQuote("OUT", 101, 100);
                }
                assertThat(retries.await(3, Duration.ofSeconds(30))).as("redeliveries while DynamoDB is down").isTrue();
                dynamoProxy.up();
                assertThat(stored.await(15, Duration.ofSeconds(60))).isTrue();
            }
        }
        assertThat(items(null)).hasSize(15);
        assertThat(keys("dead-letter/")).isEmpty();
    }

    /**
     * Contract change (issue 9): an SNS outage no longer ends in a dead letter. The alert waits in the outbox (the
     * state item's pending_alert_<n>) and the relay publishes it once SNS answers: once, with its key.
     */
    @Test
    void snsServerErrorsAreRetriedAndAnOutageLeavesTheAlertPendingUntilItIsDelivered(@TempDir Path data) throws Exception {
        // Two 500s, then the documented success: the SDK retries the same Publish.
        SnsTopic topic = resources.topic();
        topic.stub(SnsTopic.publish().inScenario(topic.scenario("sns"))
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(500)).willSetStateTo("one"));
        topic.stub(SnsTopic.publish().inScenario(topic.scenario("sns"))
                .whenScenarioStateIs("one").willReturn(aResponse().withStatus(500)).willSetStateTo("ok"));
        AwsBootstrap.ensureStream(kinesis, stream, 1);
        Map<String, String> p = properties(data, false);
        p.put("alerts.relay-initial-backoff-ms", "200");
        p.put("alerts.relay-max-backoff-ms", "1000");
        p.put("alerts.relay-period-ms", "200");
        try (PipelineRunner app = PipelineRunner.start("aws", p)) {
            ExchangeCounter alerted = ExchangeCounter.sentTo(app.context(), "{{alerts.uri}}");
            ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            ExchangeCounter inLakeBuffer = ExchangeCounter.linesToLake(app.context());
            putQuote("SNS", 100, 100);
            putQuote("SNS", 110, 100); // crossing #1: published after two 500s
            assertThat(alerted.await(1, Duration.ofSeconds(60))).isTrue();
            List<Map<String, String>> attempts = publishes();
            assertThat(attempts).extracting(m -> m.get("status")).containsExactly("500", "500", "200");
            assertThat(attempts).extracting(m -> m.get("Message")).containsOnly(attempts.get(2).get("Message"));

            // Now SNS stays down: the alert waits in the outbox, retried with backoff, never dead-lettered.
            var outage = topic.stub(SnsTopic.publish().atPriority(1).willReturn(aResponse().withStatus(503)));
            putQuote("SNS", 100, 100);
            putQuote("SNS", 89, 100); // crossing #2
            assertThat(stored.await(4, Duration.ofSeconds(60))).isTrue();
            awaitPublishes(s -> s.stream().filter(m -> m.get("status").equals("503")).count() >= 3, "three failed attempts");
            Map<String, AttributeValue> state = items(dev.quotestream.core.aws.DynamoAlertOutbox.KEY_PREFIX).get(0);
            assertThat(state.get("pending_alert_2").s()).contains("\"alert_key\":\"SNS|2026-11-25|2\"");
            topic.resetRequests();
            resources.topic().close(); // SNS answers again (the stubs are gone, the documented answer is back)
            awaitPublishes(s -> s.stream().anyMatch(m -> m.get("status").equals("200")), "the delivery");
            assertThat(alerted.await(2, Duration.ofSeconds(30))).isTrue();
        }
        List<Map<String, String>> delivered = publishes().stream().filter(m -> m.get("status").equals("200")).toList();
        assertThat(delivered).singleElement().satisfies(m -> {
            assertThat(m.get("MessageAttributes.entry.3.Name")).isEqualTo("alert_key");
            assertThat(m.get("MessageAttributes.entry.3.Value.StringValue")).isEqualTo("SNS|2026-11-25|2");
        });
        assertThat(keys("dead-letter/")).isEmpty();
        assertThat(items(dev.quotestream.core.aws.DynamoAlertOutbox.KEY_PREFIX).get(0)).doesNotContainKey("pending_alert_2");
        assertThat(items(null)).hasSize(4);
    }

    /**
     * A publish SNS rejects for its content (InvalidParameter) is poison: dead-lettered with the alert, under the
     * stage the Lambda writes for it (BatchProcessor.STAGE_ALERT, alert-sink: one dead-letter format whichever side
     * writes, docs/data-contract.md §6), not the route's own id (alert-publish); the alert leaves the outbox.
     */
    @Test
    void anAlertSnsRejectsForGoodIsDeadLetteredUnderTheLambdasStage(@TempDir Path data) throws Exception {
        resources.topic().stub(SnsTopic.publish().willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "text/xml").withBody("""
                        <ErrorResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
                          <Error><Type>Sender</Type><Code>InvalidParameter</Code>
                          <Message>Invalid parameter: Subject</Message></Error>
                          <RequestId>9b4c6b5e-1f0a-5b6e-8c11-3d3f0e9a1a13</RequestId>
                        </ErrorResponse>""")));
        AwsBootstrap.ensureStream(kinesis, stream, 1);
        Map<String, String> p = properties(data, false);
        p.put("dashboard.port", "0");
        try (PipelineRunner app = PipelineRunner.start("aws", p)) {
            ExchangeCounter deadLetters = ExchangeCounter.deadLettered(app.context());
            ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            putQuote("REJ", 100, 100);
            putQuote("REJ", 110, 100); // a crossing: its publish is rejected
            assertThat(stored.await(2, Duration.ofSeconds(60))).isTrue();
            assertThat(deadLetters.await(1, Duration.ofSeconds(60))).as("the rejected alert dead-lettered").isTrue();
            var monitor = app.context().getRegistry().lookupByNameAndType("pipelineMonitor",
                    dev.quotestream.dashboard.PipelineMonitor.class);
            // SNS answered: a rejected message is not an outage of the alert sink.
            assertThat(monitor.snapshot().sinks()).noneMatch(dev.quotestream.dashboard.PipelineStatus.SinkState::failing);
        }
        assertThat(publishes()).extracting(m -> m.get("status")).containsExactly("400");
        List<String> dead = keys("dead-letter/");
        assertThat(dead).singleElement().satisfies(k -> assertThat(k)
                .matches("dead-letter/dt=\\d{4}-\\d{2}-\\d{2}/" + dev.quotestream.core.BatchProcessor.STAGE_ALERT
                        + "/\\d{9}-[0-9a-f]{16}\\.json"));
        Map<?, ?> letter = json.readValue(object(dead.get(0)), Map.class);
        assertThat(letter.get("stage")).isEqualTo("alert-sink");
        assertThat(letter.get("symbol")).isEqualTo("REJ");
        assertThat((String) letter.get("reason")).contains("Invalid parameter: Subject");
        assertThat(letter.get("error_type")).isEqualTo("software.amazon.awssdk.services.sns.model.InvalidParameterException");
        Map<?, ?> alert = json.readValue((String) letter.get("input"), Map.class);
        assertThat(alert.get("alert_key")).isEqualTo("REJ|2026-11-25|1");
        assertThat(alert.get("symbol")).isEqualTo("REJ");
        // Settled: nothing left pending in the outbox for the relay to send again.
        assertThat(items(dev.quotestream.core.aws.DynamoAlertOutbox.KEY_PREFIX)).singleElement()
                .satisfies(i -> assertThat(i.keySet()).noneMatch(k -> k.startsWith("pending_alert_")));
        assertThat(items(null)).hasSize(2);
    }

    private void awaitPublishes(java.util.function.Predicate<List<Map<String, String>>> done, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.test(publishes())) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(100); // polling WireMock's journal: it has no event to wait on
        }
    }

    /**
     * A request DynamoDB rejects for its content (ValidationException, e.g. "Number overflow") can never succeed:
     * it is poison, dead-lettered at once with DynamoDB's reason (stage table-sink), never retried as transient.
     */
    @Test
    void aDynamoDbValidationExceptionIsPoisonAndDeadLetteredNotRetried(@TempDir Path data) throws Exception {
        try (HttpFront front = aws.httpFront(Service.DYNAMODB)) {
            // DynamoDB rejects a BatchWriteItem call as a whole; the writer then tries each item alone (PutItem).
            front.server().stubFor(post(urlEqualTo("/")).atPriority(1)
                    .withHeader("X-Amz-Target", com.github.tomakehurst.wiremock.client.WireMock.matching(
                            "DynamoDB_20120810\\.(PutItem|BatchWriteItem)"))
                    .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("\"S\":\"POISON\""))
                    .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.0")
                            .withBody("{\"__type\":\"com.amazon.coral.validate#ValidationException\","
                                    + "\"message\":\"Number overflow. Attempting to store a number with magnitude larger "
                                    + "than supported range\"}")));
            AwsBootstrap.ensureStream(kinesis, stream, 1);
            Map<String, String> p = properties(data, false);
            p.put("aws.dynamodb-endpoint", front.endpoint());
            try (PipelineRunner app = PipelineRunner.start("aws", p)) {
                ExchangeCounter deadLetters = ExchangeCounter.deadLettered(app.context());
                ExchangeCounter retries = ExchangeCounter.of(app.context(), e -> e instanceof CamelEvent.ExchangeRedeliveryEvent);
                ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            ExchangeCounter inLakeBuffer = ExchangeCounter.linesToLake(app.context());
                putQuote("POISON", 100, 100);
                putQuote("FINE", 100, 100);
                assertThat(deadLetters.await(1, Duration.ofSeconds(60))).isTrue();
                assertThat(stored.await(1, Duration.ofSeconds(60))).as("FINE stored").isTrue();
                assertThat(retries.count()).as("no retry of a poison write").isZero();
            }
            long putItems = front.server().getAllServeEvents().stream().filter(e -> "DynamoDB_20120810.PutItem"
                    .equals(e.getRequest().getHeader("X-Amz-Target")) && e.getRequest().getBodyAsString().contains("\"S\":\"POISON\""))
                    .count();
            assertThat(putItems).as("one PutItem of the poison record: no SDK retry, no redelivery").isEqualTo(1);
        }
        List<String> dead = keys("dead-letter/");
        assertThat(dead).singleElement().satisfies(k -> assertThat(k).contains("/table-sink/shardId-"));
        Map<?, ?> letter = json.readValue(object(dead.get(0)), Map.class);
        assertThat((String) letter.get("reason")).contains("Number overflow");
        assertThat(letter.get("error_type")).isEqualTo("software.amazon.awssdk.services.dynamodb.model.DynamoDbException");
        assertThat(letter.get("symbol")).isEqualTo("POISON");
        assertThat(items(null)).extracting(i -> i.get("symbol").s()).containsExactly("FINE");
    }

    @Test
    void kinesisThrottlingIsRetriedWithBackoff(@TempDir Path data) throws Exception {
        // WireMock in front of kinesis-local: the first two PutRecord calls are throttled, the rest pass through.
        try (HttpFront front = aws.httpFront(Service.KINESIS)) {
            var kinesisFront = front.server();
            String throttled = "{\"__type\":\"ProvisionedThroughputExceededException\",\"message\":\"Rate exceeded for shard\"}";
            var putRecord = com.github.tomakehurst.wiremock.client.WireMock.equalTo("Kinesis_20131202.PutRecord");
            kinesisFront.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", putRecord).atPriority(1)
                    .inScenario("throttle").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("once")
                    .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(throttled)));
            kinesisFront.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", putRecord).atPriority(1)
                    .inScenario("throttle").whenScenarioStateIs("once").willSetStateTo("open")
                    .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1").withBody(throttled)));
            AwsBootstrap.ensureStream(kinesis, stream, 1);
            Map<String, String> p = properties(data, false);
            p.put("aws.kinesis-endpoint", front.endpoint());
            try (PipelineRunner app = PipelineRunner.start("aws", p)) {
                ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            ExchangeCounter inLakeBuffer = ExchangeCounter.linesToLake(app.context());
                String quote = "{\"symbol\":\"THR\",\"timestamp\":\"2026-11-25T15:00:00Z\",\"open\":10,\"high\":11,"
                        + "\"low\":9,\"price\":10.5,\"volume\":100,\"previous_close\":10,\"currency\":\"USD\","
                        + "\"exchange_timezone\":\"America/New_York\"}";
                app.context().createProducerTemplate().sendBodyAndHeader(
                        app.context().resolvePropertyPlaceholders("{{stream.uri}}"), quote, "CamelAwsKinesisPartitionKey", "THR");
                assertThat(stored.await(1, Duration.ofSeconds(60))).isTrue();
            }
            long putRecords = kinesisFront.getAllServeEvents().stream()
                    .filter(e -> "Kinesis_20131202.PutRecord".equals(e.getRequest().getHeader("X-Amz-Target"))).count();
            assertThat(putRecords).as("two throttled attempts, then the accepted one").isEqualTo(3);
            assertThat(items(null)).singleElement().satisfies(i -> assertThat(i.get("symbol").s()).isEqualTo("THR"));
            assertThat(keys("dead-letter/")).isEmpty();
        }
    }
}
