package dev.quotestream.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.quotestream.testing.LoopbackAws;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The aws profile's report path against WireMock: Glue (JSON 1.1, AWSGlue.*), Athena (JSON 1.1, AmazonAthena.*,
 * with result pagination), S3 (path-style PUT, or S3Proxy) and SNS (Query protocol Publish). The report route runs
 * on demand in the aws profile through Camel Main; the requests, the stored objects and the rendered report are
 * asserted.
 */
class AwsReportTest {

    static final String JSON = "application/x-amz-json-1.1";
    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:stock-quote-reports";
    static final String ALERTS_TOPIC = "arn:aws:sns:us-east-1:123456789012:stock-quote-alerts";
    static final String BUCKET = "stock-quotes-test";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static WireMockServer wm;
    static String s3ProxyUrl;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        wm = new WireMockServer(wireMockConfig().dynamicPort());
        wm.start();
        // S3 is the shared loopback S3Proxy (signatures checked); the other services are this test's WireMock.
        s3ProxyUrl = LoopbackAws.shared().endpoint(LoopbackAws.Service.S3);
    }

    @AfterAll
    static void stop() throws Exception {
        wm.stop();
    }

    @BeforeEach
    void reset() {
        wm.resetAll();
        // STS answers as AWS does (GetCallerIdentity needs no permission): the aws profile names a topic it was not
        // given an ARN for by the caller's account.
        wm.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=GetCallerIdentity")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/xml").withBody("<GetCallerIdentityResponse "
                        + "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                        + "<Arn>arn:aws:iam::123456789012:user/test</Arn><UserId>AIDAEXAMPLE</UserId>"
                        + "<Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata>"
                        + "<RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>"
                        + "</GetCallerIdentityResponse>")));
    }

    static MappingBuilder target(String target) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", JSON).withBody(body);
    }

    static String crawler(String state, String lastStatus) {
        return "{\"Crawler\":{\"Name\":\"quotes-crawler\",\"State\":\"" + state + "\""
                + (lastStatus == null ? "" : ",\"LastCrawl\":{\"Status\":\"" + lastStatus
                + "\",\"ErrorMessage\":\"" + ("FAILED".equals(lastStatus) ? "Access denied to s3://stock-quotes" : "")
                + "\"}") + "}}";
    }

    // ---------------------------------------------------------------- Glue

    GlueCatalogRefresher glue(Duration timeout) {
        return new GlueCatalogRefresher(AwsReportClients.of("us-east-1", wm.baseUrl()).glue(), "quotes-crawler",
                timeout, Duration.ofMillis(20));
    }

    @Test
    void glueCrawlerAlreadyRunningIsWaitedForUntilReady() {
        stubGlueAlreadyRunning();
        glue(Duration.ofSeconds(10)).refresh();
        List<LoggedRequest> starts = wm.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AWSGlue.StartCrawler")));
        assertThat(starts).hasSize(1);
        assertThat(starts.get(0).getBodyAsString()).isEqualTo("{\"Name\":\"quotes-crawler\"}");
        assertThat(starts.get(0).getHeader("Content-Type")).isEqualTo(JSON);
        assertThat(wm.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AWSGlue.GetCrawler")))).hasSize(3)
                .allSatisfy(r -> assertThat(r.getBodyAsString()).isEqualTo("{\"Name\":\"quotes-crawler\"}"));
    }

    @Test
    void glueCrawlStartedThenFailedFailsTheRefresh() {
        wm.stubFor(target("AWSGlue.StartCrawler").willReturn(json("{}")));
        wm.stubFor(target("AWSGlue.GetCrawler").inScenario("crawl").whenScenarioStateIs(STARTED)
                .willReturn(json(crawler("RUNNING", null))).willSetStateTo("done"));
        wm.stubFor(target("AWSGlue.GetCrawler").inScenario("crawl").whenScenarioStateIs("done")
                .willReturn(json(crawler("READY", "FAILED"))));
        assertThatThrownBy(() -> glue(Duration.ofSeconds(10)).refresh())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ended FAILED").hasMessageContaining("Access denied");
    }

    @Test
    void glueCrawlerThatNeverFinishesTimesOut() {
        wm.stubFor(target("AWSGlue.StartCrawler").willReturn(json("{}")));
        wm.stubFor(target("AWSGlue.GetCrawler").willReturn(json(crawler("RUNNING", null))));
        long started = System.nanoTime();
        assertThatThrownBy(() -> glue(Duration.ofMillis(300)).refresh())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not READY after PT0.3S (state RUNNING)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(300), Duration.ofSeconds(10));
    }

    void stubGlueAlreadyRunning() {
        wm.stubFor(target("AWSGlue.StartCrawler").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", JSON)
                .withBody("{\"__type\":\"CrawlerRunningException\",\"Message\":\"Crawler with name quotes-crawler has already started\"}")));
        wm.stubFor(target("AWSGlue.GetCrawler").inScenario("glue").whenScenarioStateIs(STARTED)
                .willReturn(json(crawler("RUNNING", null))).willSetStateTo("stopping"));
        wm.stubFor(target("AWSGlue.GetCrawler").inScenario("glue").whenScenarioStateIs("stopping")
                .willReturn(json(crawler("STOPPING", null))).willSetStateTo("ready"));
        wm.stubFor(target("AWSGlue.GetCrawler").inScenario("glue").whenScenarioStateIs("ready")
                .willReturn(json(crawler("READY", "SUCCEEDED"))));
    }

    /** GetTable of the view: the documented response of a table of type VIRTUAL_VIEW. */
    static String viewTable() {
        return "{\"Table\":{\"Name\":\"raw_data\",\"DatabaseName\":\"stock_quotes\",\"TableType\":\"VIRTUAL_VIEW\"}}";
    }

    void stubViewExists() {
        wm.stubFor(target("AWSGlue.GetTable").willReturn(json(viewTable())));
    }

    // ---------------------------------------------------------------- Athena fixtures (documented response shapes)

    static final List<String> SUMMARY_COLUMNS = List.of("symbol", "ticks", "first_tick", "last_tick", "open", "close",
            "high", "low", "previous_close", "volume", "change_percent", "anomalies", "volatility");
    static final List<List<String>> SUMMARY = List.of(
            List.of("AAPL", "4", "2026-11-25T14:30:00Z", "2026-11-25T14:35:00Z", "200.0", "202.0", "215.0", "199.5",
                    "200.0", "123456", "1.0", "1", "0.0345"),
            List.of("MSFT", "3", "2026-11-25T14:30:00Z", "2026-11-25T14:31:00Z", "400.0", "376.0", "401.25", "375.5",
                    "400.0", "98765", "-6.0", "1", "0.0215"));
    static final List<String> ANOMALY_COLUMNS = List.of("symbol", "timestamp", "price", "previous_close", "change_percent");
    static final List<List<String>> ANOMALIES = List.of(
            List.of("AAPL", "2026-11-25T14:31:00Z", "214.5", "200.0", "7.25"),
            List.of("MSFT", "2026-11-25T14:31:00Z", "376.0", "400.0", "-6.0"));
    static final List<String> TICK_COLUMNS = List.of("symbol", "timestamp", "price", "previous_close");
    static final List<List<String>> TICKS_PAGE_1 = List.of(
            List.of("AAPL", "2026-11-25T14:30:00Z", "200.0", "200.0"),
            List.of("AAPL", "2026-11-25T14:30:30Z", "201.0", "200.0"),
            List.of("AAPL", "2026-11-25T14:31:00Z", "214.5", "200.0"),
            List.of("AAPL", "2026-11-25T14:35:00Z", "202.0", "200.0"));
    static final List<List<String>> TICKS_PAGE_2 = List.of(
            List.of("MSFT", "2026-11-25T14:30:00Z", "400.0", "400.0"),
            List.of("MSFT", "2026-11-25T14:30:30Z", "380.0", "400.0"),
            List.of("MSFT", "2026-11-25T14:31:00Z", "376.0", "400.0"));

    static String resultsPage(List<String> columns, List<List<String>> rows, boolean header, String nextToken)
            throws Exception {
        Map<String, Object> resultSet = new LinkedHashMap<>();
        List<Object> jsonRows = new ArrayList<>();
        if (header) {
            jsonRows.add(Map.of("Data", columns.stream().map(c -> Map.of("VarCharValue", c)).toList()));
        }
        for (List<String> row : rows) {
            jsonRows.add(Map.of("Data", row.stream().map(v -> Map.of("VarCharValue", v)).toList()));
        }
        resultSet.put("Rows", jsonRows);
        resultSet.put("ResultSetMetadata", Map.of("ColumnInfo", columns.stream()
                .map(c -> Map.of("CatalogName", "hive", "Name", c, "Label", c, "Type", "varchar")).toList()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ResultSet", resultSet);
        body.put("UpdateCount", 0);
        if (nextToken != null) {
            body.put("NextToken", nextToken);
        }
        return MAPPER.writeValueAsString(body);
    }

    static String execution(String id, String state) {
        return "{\"QueryExecution\":{\"QueryExecutionId\":\"" + id + "\",\"StatementType\":\"DML\","
                + "\"ResultConfiguration\":{\"OutputLocation\":\"s3://athena-out/reports/" + id + ".csv\"},"
                + "\"Status\":{\"State\":\"" + state + "\"" + ("FAILED".equals(state)
                ? ",\"StateChangeReason\":\"COLUMN_NOT_FOUND: line 1:8: Column 'prices' cannot be resolved\"" : "")
                + "}}}";
    }

    void stubAthena() throws Exception {
        Map<String, String> ids = Map.of(SqlLibrary.DAILY_SUMMARY, "q-summary", SqlLibrary.DAILY_ANOMALIES,
                "q-anomalies", SqlLibrary.DAILY_TICKS, "q-ticks");
        ids.forEach((query, id) -> wm.stubFor(target("AmazonAthena.StartQueryExecution")
                .withRequestBody(matchingJsonPath("$.QueryString", equalTo(SqlLibrary.report(query, ReportSource.CURATED))))
                .willReturn(json("{\"QueryExecutionId\":\"" + id + "\"}"))));
        // q-summary runs for one poll first, the others are done at the first poll
        wm.stubFor(target("AmazonAthena.GetQueryExecution").withRequestBody(matchingJsonPath("$.QueryExecutionId", equalTo("q-summary")))
                .inScenario("summary").whenScenarioStateIs(STARTED)
                .willReturn(json(execution("q-summary", "RUNNING"))).willSetStateTo("done"));
        wm.stubFor(target("AmazonAthena.GetQueryExecution").withRequestBody(matchingJsonPath("$.QueryExecutionId", equalTo("q-summary")))
                .inScenario("summary").whenScenarioStateIs("done")
                .willReturn(json(execution("q-summary", "SUCCEEDED"))));
        for (String id : List.of("q-anomalies", "q-ticks")) {
            wm.stubFor(target("AmazonAthena.GetQueryExecution").withRequestBody(matchingJsonPath("$.QueryExecutionId", equalTo(id)))
                    .willReturn(json(execution(id, "SUCCEEDED"))));
        }
        wm.stubFor(target("AmazonAthena.GetQueryResults").withRequestBody(matchingJsonPath("$.QueryExecutionId", equalTo("q-summary")))
                .willReturn(json(resultsPage(SUMMARY_COLUMNS, SUMMARY, true, null))));
        wm.stubFor(target("AmazonAthena.GetQueryResults").withRequestBody(matchingJsonPath("$.QueryExecutionId", equalTo("q-anomalies")))
                .willReturn(json(resultsPage(ANOMALY_COLUMNS, ANOMALIES, true, null))));
        wm.stubFor(target("AmazonAthena.GetQueryResults").atPriority(5)
                .withRequestBody(matchingJsonPath("$.QueryExecutionId", equalTo("q-ticks")))
                .willReturn(json(resultsPage(TICK_COLUMNS, TICKS_PAGE_1, true, "page-2"))));
        wm.stubFor(target("AmazonAthena.GetQueryResults").atPriority(1)
                .withRequestBody(matchingJsonPath("$.QueryExecutionId", equalTo("q-ticks")))
                .withRequestBody(matchingJsonPath("$.NextToken", equalTo("page-2")))
                .willReturn(json(resultsPage(TICK_COLUMNS, TICKS_PAGE_2, false, null))));
    }

    /** The object's path-style URL; the SDK may percent-encode the '=' of the partition. */
    static com.github.tomakehurst.wiremock.matching.UrlPattern s3Key(String extension) {
        return com.github.tomakehurst.wiremock.client.WireMock.urlMatching(
                "/" + BUCKET + "/reports/dt(=|%3D)2026-11-25/report-2026-11-25\\." + extension);
    }

    /** ListObjectsV2 of the day's raw partitions (S3 REST, path style): one common prefix per ticker. */
    void stubRawListing(String... tickers) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult "
                + "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + BUCKET + "</Name><Prefix>raw/dt=2026-11-25/"
                + "</Prefix><KeyCount>" + tickers.length + "</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter>"
                + "<IsTruncated>false</IsTruncated>");
        for (String t : tickers) {
            xml.append("<CommonPrefixes><Prefix>raw/dt=2026-11-25/ticker=").append(t).append("/</Prefix></CommonPrefixes>");
        }
        xml.append("</ListBucketResult>");
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client.WireMock
                        .urlPathEqualTo("/" + BUCKET)).withQueryParam("prefix", equalTo("raw/dt=2026-11-25/"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(xml.toString())));
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client.WireMock
                        .urlPathEqualTo("/" + BUCKET)).withQueryParam("prefix", equalTo("curated/dt=2026-11-25/"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml").withBody(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/"
                                + "2006-03-01/\"><Name>" + BUCKET + "</Name><Prefix>curated/dt=2026-11-25/</Prefix>"
                                + "<KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
                                + "</ListBucketResult>")));
    }

    /** The compaction's INSERT INTO curated: started, then SUCCEEDED. */
    void stubInsert(String id) {
        wm.stubFor(target("AmazonAthena.StartQueryExecution").atPriority(1)
                .withRequestBody(matchingJsonPath("$.QueryString", equalTo(AthenaLakeCompactor.insert())))
                .willReturn(json("{\"QueryExecutionId\":\"" + id + "\"}")));
        wm.stubFor(target("AmazonAthena.GetQueryExecution").withRequestBody(matchingJsonPath("$.QueryExecutionId", equalTo(id)))
                .willReturn(json(execution(id, "SUCCEEDED"))));
    }

    void stubS3AndSns() {
        wm.stubFor(put(s3Key("html"))
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"html\"")));
        wm.stubFor(put(s3Key("png"))
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"png\"")));
        wm.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(
                        "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                                + "<MessageId>msg-0001</MessageId></PublishResult><ResponseMetadata>"
                                + "<RequestId>req-1</RequestId></ResponseMetadata></PublishResponse>")));
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    // ---------------------------------------------------------------- the route, aws profile

    @Test
    void reportRouteRunsOnDemandInTheAwsProfile() throws Exception {
        stubGlueAlreadyRunning();
        stubViewExists();
        stubAthena();
        stubS3AndSns();
        stubRawListing("AAPL", "MSFT");
        stubInsert("q-insert");

        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("camel.main.profile", "aws");
        overrides.put("aws.endpoint", wm.baseUrl());
        overrides.put("aws.bucket", BUCKET);
        overrides.put("report.date", "2026-11-25");
        overrides.put("report.symbols", "AAPL,MSFT");
        overrides.put("report.glue.crawler", "quotes-crawler");
        overrides.put("report.glue.poll-interval", "PT0.02S");
        overrides.put("report.glue.database", "stock_quotes");
        overrides.put("report.athena.workgroup", "reports-wg");
        overrides.put("report.athena.output-location", "s3://athena-out/reports/");
        overrides.put("report.athena.initial-delay", "PT0.02S");
        overrides.put("report.athena.poll-interval", "PT0.02S");
        overrides.put("report.athena.page-size", "4");
        overrides.put("report.topic-arn", TOPIC);
        overrides.put("report.presign-expiry", "PT1H");
        overrides.put("report.chart-width", "900");
        overrides.put("report.chart-height", "450");
        ReportOutcome outcome = ReportMainRun.run(overrides, main -> { });
        assertThat(outcome.failure()).isNull();

        // Glue: already running, waited for until READY
        assertThat(wm.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSGlue.GetCrawler"))))
                .hasSize(3);

        // Athena: query text, execution parameters, workgroup, output location, database
        List<JsonNode> starts = new ArrayList<>();
        for (LoggedRequest r : wm.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonAthena.StartQueryExecution")))) {
            starts.add(MAPPER.readTree(r.getBodyAsString()));
        }
        // the compaction's INSERT INTO curated (the table exists), then the three report queries on curated
        assertThat(starts).extracting(n -> n.get("QueryString").asText()).containsExactly(AthenaLakeCompactor.insert(),
                SqlLibrary.report(SqlLibrary.DAILY_SUMMARY, ReportSource.CURATED), SqlLibrary.report(SqlLibrary.DAILY_ANOMALIES, ReportSource.CURATED),
                SqlLibrary.report(SqlLibrary.DAILY_TICKS, ReportSource.CURATED));
        assertThat(starts.remove(0).get("ExecutionParameters").toString()).isEqualTo("[\"'2026-11-25'\",\"''\",\"''\"]");
        assertThat(starts.get(0).get("ExecutionParameters").toString())
                .isEqualTo("[\"'2026-11-25'\",\"'AAPL,MSFT'\",\"'AAPL,MSFT'\",\"5\"]");
        assertThat(starts.get(1).get("ExecutionParameters").toString())
                .isEqualTo("[\"'2026-11-25'\",\"'AAPL,MSFT'\",\"'AAPL,MSFT'\",\"5\"]");
        assertThat(starts.get(2).get("ExecutionParameters").toString())
                .isEqualTo("[\"'2026-11-25'\",\"'AAPL,MSFT'\",\"'AAPL,MSFT'\"]");
        for (JsonNode start : starts) {
            assertThat(start.get("WorkGroup").asText()).isEqualTo("reports-wg");
            assertThat(start.at("/ResultConfiguration/OutputLocation").asText()).isEqualTo("s3://athena-out/reports/");
            assertThat(start.at("/QueryExecutionContext/Database").asText()).isEqualTo("stock_quotes");
            assertThat(start.get("QueryString").asText()).doesNotContain("2026-11-25", "AAPL");
        }
        assertThat(wm.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonAthena.GetQueryExecution"))
                .withRequestBody(matchingJsonPath("$.QueryExecutionId", equalTo("q-summary"))))).hasSize(2);
        List<LoggedRequest> tickPages = wm.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonAthena.GetQueryResults"))
                .withRequestBody(matchingJsonPath("$.QueryExecutionId", equalTo("q-ticks"))));
        assertThat(tickPages).hasSize(2);
        assertThat(MAPPER.readTree(tickPages.get(0).getBodyAsString()).has("NextToken")).isFalse();
        assertThat(MAPPER.readTree(tickPages.get(0).getBodyAsString()).get("MaxResults").asInt()).isEqualTo(4);
        assertThat(MAPPER.readTree(tickPages.get(1).getBodyAsString()).get("NextToken").asText()).isEqualTo("page-2");

        // S3: the HTML (chart embedded) and the PNG
        LoggedRequest html = wm.findAll(com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(
                s3Key("html"))).get(0);
        LoggedRequest png = wm.findAll(com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(
                s3Key("png"))).get(0);
        assertThat(html.getHeader("Content-Type")).isEqualToIgnoringCase("text/html; charset=utf-8");
        String htmlBody = html.getBodyAsString();
        byte[] pngBody = png.getBody();
        assertThat(Arrays.copyOf(pngBody, 4)).containsExactly(0x89, 'P', 'N', 'G');
        BufferedImage chart = ImageIO.read(new ByteArrayInputStream(pngBody));
        assertThat(chart.getWidth()).isEqualTo(900);
        assertThat(chart.getHeight()).isEqualTo(450);
        assertThat(htmlBody).contains("data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(pngBody));
        assertThat(htmlBody).contains("<td>AAPL</td><td>200.0000</td><td>202.0000</td><td>215.0000</td><td>199.5000</td>"
                + "<td class=\"up\">+1.00%</td><td>123456</td><td>1</td><td>3.4500%</td><td>4</td>");
        assertThat(htmlBody).contains("<td>MSFT</td><td>400.0000</td><td>376.0000</td><td>401.2500</td><td>375.5000</td>"
                + "<td class=\"down\">-6.00%</td><td>98765</td><td>1</td><td>2.1500%</td><td>3</td>");

        // SNS: Query-protocol Publish to the topic; plain-text summary + presigned link with its expiry
        List<LoggedRequest> publishes = wm.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=Publish")));
        assertThat(publishes).hasSize(1);
        Map<String, String> form = form(publishes.get(0).getBodyAsString());
        assertThat(form).containsEntry("Action", "Publish").containsEntry("TopicArn", TOPIC)
                .containsEntry("Subject", "Stock report 2026-11-25: 2 symbols, 2 anomalies");
        String message = form.get("Message");
        assertThat(message).startsWith("Stock report for 2026-11-25 (each exchange's own trading day)");
        assertThat(message).contains(
                "AAPL           200.0000     202.0000     215.0000     199.5000    +1.00%          123456      1      3.4500%",
                "MSFT           400.0000     376.0000     401.2500     375.5000    -6.00%           98765      1      2.1500%",
                "Symbols: AAPL,MSFT",
                "  1. MSFT          -6.00%  400.0000 -> 376.0000",
                "  2. AAPL          +1.00%  200.0000 -> 202.0000",
                "Anomalies (2):",
                "  2026-11-25T14:31:00Z AAPL           214.5000    +7.25%",
                "  2026-11-25T14:31:00Z MSFT           376.0000    -6.00%",
                "  AAPL       2026-11-25T14:35:00Z  lag 0 s",
                "  MSFT       2026-11-25T14:31:00Z  lag 240 s",
                "Gaps (1):",
                "  AAPL       2026-11-25T14:31:00Z -> 2026-11-25T14:35:00Z  240 s");
        String link = message.substring(message.indexOf(wm.baseUrl())).trim();
        assertThat(link).startsWith(wm.baseUrl() + "/" + BUCKET + "/reports/dt%3D2026-11-25/report-2026-11-25.html?")
                .contains("X-Amz-Expires=3600", "X-Amz-Signature=", "X-Amz-Credential=" + LoopbackAws.ACCESS_KEY + "%2F");

        ReportReceipt receipt = (ReportReceipt) outcome.receipt();
        assertThat(receipt.locations()).containsExactly(
                "s3://" + BUCKET + "/reports/dt=2026-11-25/report-2026-11-25.html",
                "s3://" + BUCKET + "/reports/dt=2026-11-25/report-2026-11-25.png", link, "sns:msg-0001");
    }

    /** SES SendRawEmail (Query protocol), as the SES API reference documents the response. */
    void stubSes() {
        wm.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=SendRawEmail"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(
                        "<SendRawEmailResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\"><SendRawEmailResult>"
                                + "<MessageId>0000014a-f4d4-4f89-93a6-7ba2f8d5c4b5-000000</MessageId></SendRawEmailResult>"
                                + "<ResponseMetadata><RequestId>e0abcdfa-c866-11e0-b6d0-273d09173b49</RequestId>"
                                + "</ResponseMetadata></SendRawEmailResponse>")));
    }

    @Test
    void sesSendsTheRawMimeWithTheChartInlineTheTableAndThePresignedLink() throws Exception {
        stubGlueAlreadyRunning();
        stubViewExists();
        stubAthena();
        stubS3AndSns();
        stubRawListing("AAPL", "MSFT");
        stubInsert("q-insert");
        stubSes();

        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("camel.main.profile", "aws");
        overrides.put("aws.endpoint", wm.baseUrl());
        overrides.put("aws.bucket", BUCKET);
        overrides.put("report.date", "2026-11-25");
        overrides.put("report.symbols", "AAPL,MSFT");
        overrides.put("report.glue.poll-interval", "PT0.02S");
        overrides.put("report.athena.initial-delay", "PT0.02S");
        overrides.put("report.athena.poll-interval", "PT0.02S");
        overrides.put("report.topic-arn", "");
        overrides.put("report.topic-name", "");
        overrides.put("report.mail.from", "Quote reports <reports@example.com>");
        overrides.put("report.mail.to", "ops@example.com, analyst@example.org");
        overrides.put("report.mail.subject", "[quotes] {date}: {anomalies} anomalies in {symbols} symbols");
        overrides.put("report.chart-width", "640");
        overrides.put("report.chart-height", "400");
        ReportOutcome outcome = ReportMainRun.run(overrides, main -> { });
        assertThat(outcome.failure()).isNull();

        assertThat(wm.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))))
                .as("report.topic-arn and report.topic-name blank: no SNS message").isEmpty();
        List<LoggedRequest> sends = wm.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=SendRawEmail")));
        assertThat(sends).hasSize(1);
        Map<String, String> form = form(sends.get(0).getBodyAsString());
        assertThat(form).containsEntry("Source", "reports@example.com")
                .containsEntry("Destinations.member.1", "ops@example.com")
                .containsEntry("Destinations.member.2", "analyst@example.org");
        assertThat(sends.get(0).getHeader("Authorization")).contains("/us-east-1/ses/aws4_request");
        byte[] raw = java.util.Base64.getDecoder().decode(form.get("RawMessage.Data"));
        assertThat(raw.length).isLessThan(10_000_000);
        MailParts mail = MailParts.parse(raw);
        assertThat(mail.subject()).isEqualTo("[quotes] 2026-11-25: 2 anomalies in 2 symbols");
        assertThat(mail.from()).isEqualTo("Quote reports <reports@example.com>");
        assertThat(mail.to()).containsExactly("ops@example.com", "analyst@example.org");
        assertThat(mail.structure()).isEqualTo("multipart/alternative[text/plain, multipart/related[text/html, image/png]]");

        String link = ((ReportReceipt) outcome.receipt()).locations().get(2);
        assertThat(link).startsWith(wm.baseUrl() + "/" + BUCKET + "/reports/dt%3D2026-11-25/report-2026-11-25.html?");
        assertThat(mail.text()).startsWith("Stock report for 2026-11-25 (each exchange's own trading day)")
                .contains("  2026-11-25T14:31:00Z AAPL           214.5000    +7.25%", "Full report with chart: " + link);
        assertThat(mail.html()).contains("<img id=\"chart\" alt=\"Change vs previous close (%), gaps left blank\" "
                        + "src=\"cid:" + mail.imageContentId() + "\">",
                "<td>AAPL</td><td>200.0000</td><td>202.0000</td><td>215.0000</td><td>199.5000</td>",
                "<td>MSFT</td><td>400.0000</td><td>376.0000</td>")
                .doesNotContain("data:image/png");
        assertThat(mail.imageContentId()).isEqualTo("chart-2026-11-25@quote-pipeline");
        assertThat(mail.imageDisposition()).isEqualTo("inline");
        // the inline image is the chart stored in S3
        LoggedRequest png = wm.findAll(com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(s3Key("png"))).get(0);
        assertThat(mail.image()).isEqualTo(png.getBody());
        assertThat(ImageIO.read(new ByteArrayInputStream(mail.image())).getWidth()).isEqualTo(640);
        assertThat(((ReportReceipt) outcome.receipt()).locations())
                .contains("mail:0000014a-f4d4-4f89-93a6-7ba2f8d5c4b5-000000");
    }

    @Test
    void failedAthenaQueryFailsTheReportWithItsReason() throws Exception {
        stubGlueAlreadyRunning();
        stubViewExists();
        stubRawListing("AAPL");
        wm.stubFor(target("AmazonAthena.StartQueryExecution").willReturn(json("{\"QueryExecutionId\":\"q-bad\"}")));
        wm.stubFor(target("AmazonAthena.GetQueryExecution").willReturn(json(execution("q-bad", "FAILED"))));
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("camel.main.profile", "aws");
        overrides.put("aws.endpoint", wm.baseUrl());
        overrides.put("aws.bucket", BUCKET);
        overrides.put("report.date", "2026-11-25");
        overrides.put("report.glue.poll-interval", "PT0.02S");
        overrides.put("report.athena.initial-delay", "PT0.02S");
        overrides.put("report.athena.poll-interval", "PT0.02S");
        ReportOutcome outcome = ReportMainRun.run(overrides, main -> { });
        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.failure().getMessage()).contains("Athena query q-bad ended FAILED", "COLUMN_NOT_FOUND");
        assertThat(wm.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=Publish")))).isEmpty();
    }

    /** sql/raw-data-view.sql as Athena receives it (comment lines dropped). */
    static final String RAW_DATA_VIEW_DDL = """
            CREATE OR REPLACE VIEW raw_data AS
            SELECT symbol,
                   "timestamp",
                   CAST(open AS double) AS open,
                   CAST(high AS double) AS high,
                   CAST(low AS double) AS low,
                   CAST(price AS double) AS price,
                   CAST(volume AS bigint) AS volume,
                   CAST(previous_close AS double) AS previous_close,
                   currency,
                   exchange_timezone,
                   dt,
                   ticker
            FROM raw""";

    List<JsonNode> athenaStarts() throws Exception {
        List<JsonNode> starts = new ArrayList<>();
        for (LoggedRequest r : wm.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonAthena.StartQueryExecution")))) {
            starts.add(MAPPER.readTree(r.getBodyAsString()));
        }
        return starts;
    }

    @Test
    void firstReportCreatesTheMissingViewThroughAthenaAndMailsTheReportsTopic() throws Exception {
        stubGlueAlreadyRunning();
        // Glue has no raw_data until the view's DDL ran; then GetTable finds it.
        wm.stubFor(target("AWSGlue.GetTable").inScenario("view").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON)
                        .withBody("{\"__type\":\"EntityNotFoundException\",\"Message\":\"Table raw_data not found.\"}")));
        wm.stubFor(target("AmazonAthena.StartQueryExecution").inScenario("view")
                .withRequestBody(matchingJsonPath("$.QueryString", equalTo(RAW_DATA_VIEW_DDL)))
                .willReturn(json("{\"QueryExecutionId\":\"q-view\"}")).willSetStateTo("view created"));
        wm.stubFor(target("AWSGlue.GetTable").inScenario("view").whenScenarioStateIs("view created")
                .willReturn(json(viewTable())));
        wm.stubFor(target("AmazonAthena.GetQueryExecution").withRequestBody(matchingJsonPath("$.QueryExecutionId", equalTo("q-view")))
                .willReturn(json(execution("q-view", "SUCCEEDED"))));
        stubAthena();
        wm.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(
                        "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                                + "<MessageId>msg-0002</MessageId></PublishResult><ResponseMetadata>"
                                + "<RequestId>req-2</RequestId></ResponseMetadata></PublishResponse>")));
        String bucket = LoopbackAws.uniqueName("stock-quotes-first-run");
        try (S3Client s3 = AwsReportClients.of("us-east-1", s3ProxyUrl).s3()) {
            s3.createBucket(b -> b.bucket(bucket));
        }

        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("camel.main.profile", "aws");
        overrides.put("aws.glue-endpoint", wm.baseUrl());
        overrides.put("aws.athena-endpoint", wm.baseUrl());
        overrides.put("aws.sns-endpoint", wm.baseUrl());
        overrides.put("aws.s3-endpoint", s3ProxyUrl);
        overrides.put("aws.bucket", bucket);
        overrides.put("aws.topic-arn", ALERTS_TOPIC);
        overrides.put("report.topic-arn", TOPIC);
        overrides.put("report.date", "2026-11-25");
        overrides.put("report.glue.database", "stock_quotes");
        overrides.put("report.glue.poll-interval", "PT0.02S");
        overrides.put("report.athena.workgroup", "quote-pipeline-quotes");
        overrides.put("report.athena.initial-delay", "PT0.02S");
        overrides.put("report.athena.poll-interval", "PT0.02S");
        ReportOutcome outcome = ReportMainRun.run(overrides, main -> { });
        assertThat(outcome.failure()).isNull();

        // The view was looked up in the report's database, found missing, and created by the exact DDL, first.
        List<LoggedRequest> lookups = wm.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AWSGlue.GetTable")));
        assertThat(lookups).hasSize(1);
        assertThat(MAPPER.readTree(lookups.get(0).getBodyAsString()))
                .isEqualTo(MAPPER.readTree("{\"DatabaseName\":\"stock_quotes\",\"Name\":\"raw_data\"}"));
        List<JsonNode> starts = athenaStarts();
        assertThat(starts).extracting(n -> n.get("QueryString").asText()).containsExactly(RAW_DATA_VIEW_DDL,
                SqlLibrary.report(SqlLibrary.DAILY_SUMMARY, ReportSource.CURATED), SqlLibrary.report(SqlLibrary.DAILY_ANOMALIES, ReportSource.CURATED),
                SqlLibrary.report(SqlLibrary.DAILY_TICKS, ReportSource.CURATED));
        JsonNode ddl = starts.get(0);
        assertThat(ddl.at("/QueryExecutionContext/Database").asText()).isEqualTo("stock_quotes");
        assertThat(ddl.get("WorkGroup").asText()).isEqualTo("quote-pipeline-quotes");
        assertThat(ddl.at("/ResultConfiguration/OutputLocation").asText()).isEqualTo("s3://" + bucket + "/athena-results/");
        assertThat(ddl.has("ExecutionParameters")).isFalse();

        // Delivered: the objects are in the bucket, and the summary went to the reports topic, not the alerts topic.
        try (S3Client s3 = AwsReportClients.of("us-east-1", s3ProxyUrl).s3()) {
            assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key).containsExactly(
                    "reports/dt=2026-11-25/report-2026-11-25.html", "reports/dt=2026-11-25/report-2026-11-25.png");
            String html = s3.getObjectAsBytes(b -> b.bucket(bucket).key("reports/dt=2026-11-25/report-2026-11-25.html"))
                    .asUtf8String();
            byte[] png = s3.getObjectAsBytes(b -> b.bucket(bucket).key("reports/dt=2026-11-25/report-2026-11-25.png"))
                    .asByteArray();
            assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(1200);
            assertThat(html).contains("data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png),
                    "<td>MSFT</td><td>400.0000</td><td>376.0000</td>");
        }
        List<LoggedRequest> publishes = wm.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=Publish")));
        assertThat(publishes).hasSize(1);
        Map<String, String> form = form(publishes.get(0).getBodyAsString());
        assertThat(form).containsEntry("TopicArn", TOPIC).containsEntry("Subject",
                "Stock report 2026-11-25: 2 symbols, 2 anomalies");
        assertThat(form.get("Message")).startsWith("Stock report for 2026-11-25 (each exchange's own trading day)")
                .contains(s3ProxyUrl + "/" + bucket + "/reports/dt%3D2026-11-25/report-2026-11-25.html?");
        assertThat(((ReportReceipt) outcome.receipt()).locations()).contains("sns:msg-0002");

        // The next report finds the view and runs no DDL.
        ReportOutcome second = ReportMainRun.run(overrides, main -> { });
        assertThat(second.failure()).isNull();
        assertThat(athenaStarts()).extracting(n -> n.get("QueryString").asText())
                .filteredOn(RAW_DATA_VIEW_DDL::equals).hasSize(1);
        assertThat(wm.findAll(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))))
                .hasSize(2).allSatisfy(r -> assertThat(form(r.getBodyAsString())).containsEntry("TopicArn", TOPIC));
    }

    @Test
    void athenaParametersAreTypedLiteralsOfValidatedValues() {
        assertThat(AthenaSqlExecutor.literal(java.time.LocalDate.of(2026, 11, 25))).isEqualTo("'2026-11-25'");
        assertThat(AthenaSqlExecutor.literal("BRK-B,^GSPC,EURUSD=X")).isEqualTo("'BRK-B,^GSPC,EURUSD=X'");
        assertThat(AthenaSqlExecutor.literal(new java.math.BigDecimal("5.50"))).isEqualTo("5.50");
        assertThatThrownBy(() -> AthenaSqlExecutor.literal("AAPL' OR '1'='1"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
