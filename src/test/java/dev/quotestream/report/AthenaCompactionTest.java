package dev.quotestream.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.quotestream.testing.LoopbackAws;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS path of compaction: S3 is the loopback S3Proxy (the raw and curated objects are real), Glue and Athena a
 * WireMock of this test answering as documented. Asserted: the exact Athena statements (the table's DDL once, then
 * INSERT INTO with its execution parameters, in batches of 100 symbols), and the day's previous curated objects
 * deleted while other days and the raw lake stay.
 */
class AthenaCompactionTest {

    static final String JSON = "application/x-amz-json-1.1";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final LocalDate DAY = LocalDate.of(2026, 11, 25);
    static WireMockServer wm;
    static String s3Url;
    static DefaultCamelContext camel;

    @BeforeAll
    static void start() throws Exception {
        s3Url = LoopbackAws.shared().endpoint(LoopbackAws.Service.S3);
        wm = new WireMockServer(wireMockConfig().dynamicPort());
        wm.start();
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        wm.stop();
    }

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    static MappingBuilder target(String target) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", JSON).withBody(body);
    }

    /** Glue has no table curated until the DDL ran; every Athena statement starts and SUCCEEDS. */
    void stubGlueAndAthena() {
        wm.stubFor(target("AWSGlue.GetTable").inScenario("table").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON)
                        .withBody("{\"__type\":\"EntityNotFoundException\",\"Message\":\"Table curated not found.\"}")));
        wm.stubFor(target("AmazonAthena.StartQueryExecution").inScenario("table")
                .withRequestBody(matchingJsonPath("$.QueryString", com.github.tomakehurst.wiremock.client.WireMock
                        .containing("CREATE EXTERNAL TABLE")))
                .willReturn(json("{\"QueryExecutionId\":\"q-ddl\"}")).willSetStateTo("created"));
        wm.stubFor(target("AWSGlue.GetTable").inScenario("table").whenScenarioStateIs("created")
                .willReturn(json("{\"Table\":{\"Name\":\"curated\",\"DatabaseName\":\"stock_quotes\",\"TableType\":\"EXTERNAL_TABLE\"}}")));
        wm.stubFor(target("AmazonAthena.StartQueryExecution").atPriority(9).willReturn(json("{\"QueryExecutionId\":\"q-insert\"}")));
        wm.stubFor(target("AmazonAthena.GetQueryExecution").willReturn(json("{\"QueryExecution\":{\"QueryExecutionId\":"
                + "\"q\",\"StatementType\":\"DML\",\"ResultConfiguration\":{\"OutputLocation\":\"s3://out/q.csv\"},"
                + "\"Status\":{\"State\":\"SUCCEEDED\"}}}")));
    }

    AthenaLakeCompactor compactor(String bucket, GlueClient glue, S3Client s3) {
        camel.getRegistry().bind("compactionAthenaClient", AwsReportClients.of("us-east-1", wm.baseUrl())
                .athena(new AthenaExecutionParameters()));
        AthenaSqlExecutor athena = new AthenaSqlExecutor(camel, "aws2-athena:compaction?amazonAthenaClient=#compactionAthenaClient"
                + "&operation=startQueryExecution&database=stock_quotes&workGroup=quote-pipeline-quotes"
                + "&outputLocation=RAW(s3://" + bucket + "/athena-results/)&waitTimeout=10000&initialDelay=10&delay=10"
                + "&maxAttempts=1&retry=never", "aws2-athena:compaction-results?amazonAthenaClient=#compactionAthenaClient"
                + "&operation=getQueryResults");
        return new AthenaLakeCompactor(glue, s3, athena, "stock_quotes", bucket, "raw", "curated");
    }

    List<JsonNode> athenaStatements() throws Exception {
        List<JsonNode> starts = new ArrayList<>();
        for (LoggedRequest r : wm.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonAthena.StartQueryExecution")))) {
            starts.add(MAPPER.readTree(r.getBodyAsString()));
        }
        return starts;
    }

    static void put(S3Client s3, String bucket, String key) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("{}\n"));
    }

    static List<String> keys(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
    }

    @Test
    void createsTheTableOnceInsertsTheDayAndReplacesItsPreviousObjects() throws Exception {
        stubGlueAndAthena();
        String bucket = LoopbackAws.uniqueName("curated-compaction");
        try (S3Client s3 = AwsReportClients.of("us-east-1", s3Url).s3();
             GlueClient glue = AwsReportClients.of("us-east-1", wm.baseUrl()).glue()) {
            s3.createBucket(b -> b.bucket(bucket));
            put(s3, bucket, "raw/dt=2026-11-25/ticker=AAPL/part-20261125T143000000Z-aaaaaaaa.json");
            put(s3, bucket, "raw/dt=2026-11-25/ticker=AAPL/part-20261125T143020000Z-bbbbbbbb.json");
            put(s3, bucket, "raw/dt=2026-11-25/ticker=MSFT/part-20261125T143000000Z-cccccccc.json");
            put(s3, bucket, "raw/dt=2026-11-24/ticker=AAPL/part-20261124T143000000Z-dddddddd.json");
            // a previous run's output for the day, and another day's
            put(s3, bucket, "curated/dt=2026-11-25/ticker=AAPL/20261125_213000_00001_old1");
            put(s3, bucket, "curated/dt=2026-11-25/ticker=MSFT/20261125_213000_00001_old2");
            put(s3, bucket, "curated/dt=2026-11-24/ticker=AAPL/20261124_213000_00001_keep");
            AthenaLakeCompactor compactor = compactor(bucket, glue, s3);

            compactor.compact(DAY);
            List<JsonNode> first = athenaStatements();
            assertThat(first).extracting(n -> n.get("QueryString").asText()).containsExactly("""
                    CREATE EXTERNAL TABLE IF NOT EXISTS curated (
                        symbol string,
                        `timestamp` string,
                        open double,
                        high double,
                        low double,
                        price double,
                        volume bigint,
                        previous_close double,
                        currency string,
                        exchange_timezone string)
                    PARTITIONED BY (dt string, ticker string)
                    STORED AS PARQUET
                    LOCATION 's3://%s/curated/'
                    TBLPROPERTIES ('parquet.compression' = 'ZSTD')""".formatted(bucket), """
                    INSERT INTO curated
                    SELECT symbol, "timestamp", open, high, low, price, volume, previous_close, currency, exchange_timezone,
                           dt, symbol AS ticker
                    FROM (
                        SELECT symbol, "timestamp", open, high, low, price, volume, previous_close, currency, exchange_timezone, dt,
                               row_number() OVER (PARTITION BY symbol, "timestamp"
                                                  ORDER BY volume DESC, high DESC, low ASC, price DESC, open DESC, previous_close DESC,
                                                           currency ASC NULLS LAST, exchange_timezone ASC NULLS LAST) AS copy_rank
                        FROM raw_data
                        WHERE dt = ?
                          AND (? = '' OR strpos(',' || ? || ',', ',' || symbol || ',') > 0)
                    ) ranked
                    WHERE copy_rank = 1""");
            assertThat(first.get(0).has("ExecutionParameters")).isFalse();
            assertThat(first.get(1).get("ExecutionParameters").toString()).isEqualTo("[\"'2026-11-25'\",\"''\",\"''\"]");
            for (JsonNode start : first) {
                assertThat(start.at("/QueryExecutionContext/Database").asText()).isEqualTo("stock_quotes");
                assertThat(start.get("WorkGroup").asText()).isEqualTo("quote-pipeline-quotes");
            }
            assertThat(keys(s3, bucket)).containsExactly(
                    "curated/dt=2026-11-24/ticker=AAPL/20261124_213000_00001_keep",
                    "raw/dt=2026-11-24/ticker=AAPL/part-20261124T143000000Z-dddddddd.json",
                    "raw/dt=2026-11-25/ticker=AAPL/part-20261125T143000000Z-aaaaaaaa.json",
                    "raw/dt=2026-11-25/ticker=AAPL/part-20261125T143020000Z-bbbbbbbb.json",
                    "raw/dt=2026-11-25/ticker=MSFT/part-20261125T143000000Z-cccccccc.json");

            // Run twice: the table exists now (no DDL), the same INSERT, and what the first INSERT wrote is replaced.
            put(s3, bucket, "curated/dt=2026-11-25/ticker=AAPL/20261125_213500_00002_run1");
            wm.resetRequests();
            compactor.compact(DAY);
            assertThat(athenaStatements()).extracting(n -> n.get("QueryString").asText())
                    .containsExactly(AthenaLakeCompactor.insert());
            assertThat(keys(s3, bucket)).noneMatch(k -> k.startsWith("curated/dt=2026-11-25/"))
                    .contains("curated/dt=2026-11-24/ticker=AAPL/20261124_213000_00001_keep");
        }
    }

    @Test
    void aDayOfMoreThan100SymbolsIsInsertedInBatchesOf100() throws Exception {
        stubGlueAndAthena();
        String bucket = LoopbackAws.uniqueName("curated-batches");
        try (S3Client s3 = AwsReportClients.of("us-east-1", s3Url).s3();
             GlueClient glue = AwsReportClients.of("us-east-1", wm.baseUrl()).glue()) {
            s3.createBucket(b -> b.bucket(bucket));
            List<String> symbols = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                symbols.add(String.format("S%03d", i));
                put(s3, bucket, "raw/dt=2026-11-25/ticker=" + symbols.get(i) + "/part-20261125T143000000Z-00000000.json");
            }
            compactor(bucket, glue, s3).compact(DAY);
            List<JsonNode> inserts = athenaStatements().stream()
                    .filter(n -> n.get("QueryString").asText().startsWith("INSERT INTO curated")).toList();
            assertThat(inserts).hasSize(2);
            String first100 = String.join(",", symbols.subList(0, 100));
            String last50 = String.join(",", symbols.subList(100, 150));
            assertThat(inserts.get(0).get("ExecutionParameters").toString())
                    .isEqualTo("[\"'2026-11-25'\",\"'" + first100 + "'\",\"'" + first100 + "'\"]");
            assertThat(inserts.get(1).get("ExecutionParameters").toString())
                    .isEqualTo("[\"'2026-11-25'\",\"'" + last50 + "'\",\"'" + last50 + "'\"]");
        }
    }

    @Test
    void aDayWithoutRawObjectsRunsNothing() throws Exception {
        stubGlueAndAthena();
        String bucket = LoopbackAws.uniqueName("curated-empty");
        try (S3Client s3 = AwsReportClients.of("us-east-1", s3Url).s3();
             GlueClient glue = AwsReportClients.of("us-east-1", wm.baseUrl()).glue()) {
            s3.createBucket(b -> b.bucket(bucket));
            put(s3, bucket, "curated/dt=2026-11-25/ticker=AAPL/20261125_213000_00001_kept");
            compactor(bucket, glue, s3).compact(DAY);
            assertThat(athenaStatements()).isEmpty();
            assertThat(keys(s3, bucket)).containsExactly("curated/dt=2026-11-25/ticker=AAPL/20261125_213000_00001_kept");
        }
    }
}
