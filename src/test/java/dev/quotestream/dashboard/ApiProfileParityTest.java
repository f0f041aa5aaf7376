package dev.quotestream.dashboard;

import dev.quotestream.aws.LoopbackProfile;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.dashboard.aws.DynamoAlertLog;
import dev.quotestream.dashboard.aws.DynamoQuoteReader;
import dev.quotestream.pipeline.ExchangeCounter;
import dev.quotestream.pipeline.PipelineRunner;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One interface, two tables: the same known quotes through the local profile (SQLite) and through the aws
 * profile (kinesis-local, dynalite, S3Proxy, WireMock SNS on loopback) give byte-identical API answers.
 * The DynamoDB side reads with Query only, with the reserved word {@code timestamp} always aliased.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiProfileParityTest {

    private final Instant start = KnownQuotes.start();
    private LoopbackAws aws;
    private LoopbackProfile resources;

    @BeforeAll
    void servers() {
        aws = LoopbackAws.shared();
        resources = LoopbackProfile.forTest(aws, "dashboard-parity");
    }

    @AfterAll
    void stop() {
        if (resources != null) {
            resources.close();
        }
    }

    private List<String> requests() {
        String range = "?from=" + start + "&to=" + start.plus(10, ChronoUnit.MINUTES);
        return List.of("/api/symbols", "/api/quotes/AAPL" + range, "/api/quotes/MSFT" + range,
                "/api/quotes/MSFT" + range + "&limit=2", "/api/alerts?since=" + start,
                "/api/alerts?since=" + start.plus(2, ChronoUnit.MINUTES) + "&limit=1");
    }

    private Map<String, String> properties(Path data) throws Exception {
        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.symbols", String.join(",", KnownQuotes.SYMBOLS));
        p.put("pipeline.fetch-in-camel", "false");
        p.put("dashboard.port", "0");
        p.put("report.schedule-enabled", "false");
        return p;
    }

    private Map<String, String> answers(CamelContext context) throws Exception {
        ExchangeCounter logged = ExchangeCounter.sentTo(context, "{{alerts.log-uri}}");
        KnownQuotes.publishAndAwait(context, KnownQuotes.records(start));
        assertThat(logged.await(2, Duration.ofSeconds(60))).as("both alerts logged").isTrue();
        Http http = new Http(context);
        Map<String, String> out = new LinkedHashMap<>();
        for (String request : requests()) {
            Http.Answer a = http.get(request);
            assertThat(a.status()).as(request + ": " + a.body()).isEqualTo(200);
            out.put(request, a.body());
        }
        return out;
    }

    @Test
    void theApiAnswersTheSameJsonFromSqliteAndFromDynamoDb(@TempDir Path localData, @TempDir Path awsData)
            throws Exception {
        Map<String, String> local;
        try (PipelineRunner app = PipelineRunner.start(properties(localData))) {
            local = answers(app.context());
        }
        Map<String, String> fromAws;
        Map<String, String> p = new HashMap<>(properties(awsData));
        p.putAll(resources.properties());
        p.put("camel.main.profile", "aws");
        try (PipelineRunner app = PipelineRunner.start("aws", p)) {
            fromAws = answers(app.context());
            // Dead letters today are counted in the bucket (one undecodable record here).
            ExchangeCounter dead = ExchangeCounter.deadLettered(app.context());
            app.context().createProducerTemplate().sendBodyAndHeader(
                    app.context().resolvePropertyPlaceholders("{{stream.uri}}"), "{not json",
                    "CamelAwsKinesisPartitionKey", "AAPL");
            assertThat(dead.await(1, Duration.ofSeconds(60))).isTrue();
            var status = new Http(app.context()).get("/api/status").json();
            assertThat(status.get("profile").asText()).isEqualTo("aws");
            assertThat(status.get("dead_letters_today").asLong()).isEqualTo(1);
            assertThat(status.get("counters").get("records_in").asLong()).isEqualTo(11);
            assertThat(status.get("stream").get("lag_ms").isNumber()).as("lag from the Kinesis arrival time").isTrue();
            // No ARN, account or table name reaches the browser.
            assertThat(status.toString()).doesNotContain("arn:", "000000000000", resources.table());
        }
        assertThat(fromAws).containsExactlyEntriesOf(local);
        assertThat(local.get(requests().get(4))).contains("\"count\":2");

        // The alert log at rest: one item per alert, in its day's partition.
        DynamoDbClient dynamoDb = LoopbackProfile.clients(aws).dynamoDb();
        String day = start.plus(1, ChronoUnit.MINUTES).toString().substring(0, 10);
        var items = dynamoDb.query(b -> b.tableName(resources.table()).keyConditionExpression("#sym = :pk")
                .expressionAttributeNames(Map.of("#sym", "symbol"))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(DynamoAlertLog.KEY_PREFIX + day)))).items();
        assertThat(items).isNotEmpty().allSatisfy(i -> {
            assertThat(i.get("timestamp").s()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ#MSFT#[12]");
            assertThat(i.get("alert").s()).contains("\"symbol\":\"MSFT\"");
        });
    }

    @Test
    void theDynamoDbReadersUseQueryOnlyWithTheReservedWordAliased() throws Exception {
        DynamoDbClient real = LoopbackProfile.clients(aws).dynamoDb();
        String table = LoopbackAws.uniqueName("dashboard-readers");
        dev.quotestream.aws.AwsBootstrap.ensureTable(real, table);
        List<String> calls = new ArrayList<>();
        List<QueryRequest> queries = new ArrayList<>();
        DynamoDbClient recording = (DynamoDbClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    if (args != null && args.length == 1 && args[0] instanceof QueryRequest q) {
                        queries.add(q);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(5, ChronoUnit.MINUTES);
        real.putItem(b -> b.tableName(table).item(Map.of("symbol", AttributeValue.fromS("AAPL"),
                "timestamp", AttributeValue.fromS(t.toString()), "price", AttributeValue.fromN("100.5000"),
                "anomaly", AttributeValue.fromBool(false))));
        DynamoQuoteReader quotes = new DynamoQuoteReader(recording, table);
        DynamoAlertLog alerts = new DynamoAlertLog(recording, table, Clock.systemUTC());
        alerts.append("{\"symbol\":\"AAPL\",\"timestamp\":\"" + t + "\",\"crossing\":1,\"price\":100.5000}");

        assertThat(quotes.quotes("AAPL", t.minusSeconds(60), t.plusSeconds(60), 10)).hasSize(1)
                .first().satisfies(q -> assertThat(q.get("price").toString()).isEqualTo("100.5"));
        assertThat(quotes.latest("AAPL")).isPresent();
        assertThat(alerts.since(t.minus(3, ChronoUnit.DAYS), 10)).hasSize(1);

        // The write: the alert log writes the alerts published together with BatchWriteItem; reads are Query only.
        assertThat(calls).containsOnly("query", "batchWriteItem").contains("query");
        assertThat(queries).isNotEmpty().allSatisfy(q -> {
            assertThat(q.keyConditionExpression()).doesNotContainPattern("(?<![#:])\\btimestamp\\b")
                    .doesNotContainPattern("(?<![#:])\\bsymbol\\b");
            if (q.keyConditionExpression().contains("#ts")) {
                assertThat(q.expressionAttributeNames()).containsEntry("#ts", "timestamp");
            }
        });
    }
}
