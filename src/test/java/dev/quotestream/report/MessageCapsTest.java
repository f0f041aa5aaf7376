package dev.quotestream.report;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.quotestream.report.SyntheticLake.Tick;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.SnsTopic;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.BufferedWriter;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A day with 10,000 anomalies (20 symbols x 500 ticks, every tick 8 % off its previous close: the old SNS message
 * failed from about 4,560), driven through every channel: the files and the S3 page keep the full report; the SMTP
 * e-mail (GreenMail), the SES e-mail (WireMock, raw MIME) and the SNS message (the loopback SNS server) each stay
 * under their limit, lists cut with "… N more, see the full report".
 */
class MessageCapsTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 25);
    static final int SYMBOLS = 20;
    static final int TICKS = 500;

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    static Path dataDir;
    static RenderedReport rendered;
    static DefaultCamelContext camel;
    static WireMockServer ses;

    @BeforeAll
    static void aDayOf10000Anomalies() throws Exception {
        Path root = dataDir.resolve("raw/dt=" + DAY);
        Instant open = DAY.atTime(14, 30).toInstant(ZoneOffset.UTC);
        for (int s = 0; s < SYMBOLS; s++) {
            String symbol = String.format("SYM%02d", s);
            Path dir = root.resolve("ticker=" + DuckDbLakeCompactor.tickerDirectory(symbol));
            Files.createDirectories(dir);
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("part-20261125T210000000Z-0000000" + (s % 10) + ".json"))) {
                for (int i = 0; i < TICKS; i++) {
                    double price = 108 + (i % 7) * 0.01;
                    w.write(SyntheticLake.json(new Tick(symbol, open.plusSeconds(30L * i), 107.5, 109, 107, price,
                            1000L * (i + 1), 100)));
                    w.write('\n');
                }
            }
        }
        DuckDbLake duckDb = new DuckDbLake();
        DuckDbCatalogRefresher catalog = new DuckDbCatalogRefresher(duckDb, dataDir.resolve("raw"), dataDir.resolve("curated"));
        catalog.refresh();
        new DuckDbLakeCompactor(duckDb, catalog).compact(DAY);
        DailyReport report = new ReportQueryRunner(new DuckDbSqlExecutor(duckDb), 5, 30, 3, ReportSource.CURATED)
                .run(new ReportRequests(ZoneId.of("UTC"), "", new BigDecimal("5"),
                        Clock.fixed(Instant.parse("2026-11-25T21:30:00Z"), ZoneOffset.UTC)).create(DAY.toString()));
        duckDb.stop();
        assertThat(report.anomalies()).hasSize(10_000);
        rendered = new ReportRenderer(new ReportChart(1200, 700)).render(report);

        camel = new DefaultCamelContext();
        ses = new WireMockServer(wireMockConfig().dynamicPort());
        ses.start();
        ses.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=SendRawEmail"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml").withBody(
                        "<SendRawEmailResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\"><SendRawEmailResult>"
                                + "<MessageId>ses-10000</MessageId></SendRawEmailResult><ResponseMetadata><RequestId>r"
                                + "</RequestId></ResponseMetadata></SendRawEmailResponse>")));
        camel.start();
    }

    @AfterAll
    static void stop() {
        camel.stop();
        ses.stop();
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** Anomaly rows of an HTML page or part (their first cell is the tick's time). */
    static int anomalyRows(String html) {
        String table = html.substring(html.indexOf("<table id=\"anomalies\">"), html.indexOf("<h2>Data freshness"));
        return count(table, "<tr><td>2026-11-25T");
    }

    static int hiddenAnomalies(String text) {
        Matcher m = Pattern.compile("… (\\d+) more, see the").matcher(text.substring(text.indexOf("Anomalies (")));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    @Test
    void theFilesKeepTheFullReport() throws Exception {
        ReportReceipt receipt = new LocalReportDelivery(dataDir.resolve("reports")).deliver(rendered);
        String html = Files.readString(Path.of(receipt.locations().get(1)));
        assertThat(anomalyRows(html)).isEqualTo(10_000);
        assertThat(Files.readString(Path.of(receipt.locations().get(0)))).contains("Anomalies (10000):").doesNotContain("more, see the");
    }

    @Test
    void smtpShowsTheDefault50PerListThenTheCutLineWithTheFullReportsPath() throws Exception {
        MailChannel channel = new MailChannel(camel, "smtp://127.0.0.1:" + smtp.getSmtp().getPort(), "SMTP",
                new ReportMail("reports@example.com", "ops@example.com", 50, 10_000_000));
        new LocalReportDelivery(dataDir.resolve("reports-mail"), channel).deliver(rendered);
        MimeMessage received = smtp.getReceivedMessages()[smtp.getReceivedMessages().length - 1];
        MailParts mail = MailParts.of(received, received.getSize());
        String fullReport = dataDir.resolve("reports-mail/report-" + DAY + ".html").toUri().toString();
        assertThat(mail.text()).contains("Anomalies (10000):", "  … 9950 more, see the full report: " + fullReport);
        assertThat(hiddenAnomalies(mail.text())).isEqualTo(9950);
        assertThat(anomalyRows(mail.html())).isEqualTo(50);
        assertThat(mail.html()).contains("… 9950 more, see the <a href=\"" + fullReport + "\">full report</a>");
        assertThat(mail.image()).isEqualTo(rendered.chartPng());
    }

    @Test
    void smtpWithoutAListLimitSendsEveryAnomalyBelow10MB() throws Exception {
        MailChannel channel = new MailChannel(camel, "smtp://127.0.0.1:" + smtp.getSmtp().getPort(), "SMTP",
                new ReportMail("reports@example.com", "desk@example.com", 0, 10_000_000));
        channel.send(rendered, "file:///reports/report.html");
        MimeMessage received = smtp.getReceivedMessages()[smtp.getReceivedMessages().length - 1];
        assertThat(received.getSize()).isLessThan(10_000_000);
        MailParts mail = MailParts.of(received, received.getSize());
        assertThat(anomalyRows(mail.html())).isEqualTo(10_000);
        assertThat(hiddenAnomalies(mail.text())).isZero();
    }

    @Test
    void theEMailIsCutToItsByteBudgetAtTheLargestListLengthThatFits() {
        long budget = 400_000;
        ReportMail mail = new ReportMail("reports@example.com", "ops@example.com", 0, budget);
        MimeMessage message = mail.compose(rendered, "https://example.com/full");
        long size = ReportMail.size(message);
        assertThat(size).isLessThanOrEqualTo(budget);
        String text = new String(ReportMail.bytes(message), StandardCharsets.UTF_8);
        assertThat(text).contains("more, see the full report");
        // the largest cut: one more item per list would not fit
        MailParts parts;
        try {
            parts = MailParts.parse(ReportMail.bytes(message));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        int shown = 10_000 - hiddenAnomalies(parts.text());
        assertThat(shown).isPositive();
        assertThat(ReportMail.size(mail.message(rendered, new ReportRenderer.Cut(shown + 1, "https://example.com/full"))))
                .isGreaterThan(budget);
    }

    @Test
    void sesAndSnsStayUnderTheirLimitsWhileS3KeepsTheFullReport() throws Exception {
        LoopbackAws aws = LoopbackAws.shared();
        String bucket = LoopbackAws.uniqueName("report-caps");
        AwsReportClients clients = AwsReportClients.of("us-east-1", aws.endpoint(LoopbackAws.Service.S3),
                "http://unused.invalid", aws.endpoint(LoopbackAws.Service.S3), aws.endpoint(LoopbackAws.Service.SNS),
                ses.baseUrl());
        try (SnsTopic topic = aws.topic("123456789012", LoopbackAws.uniqueName("stock-quote-reports"));
             S3Client s3 = clients.s3(); var presigner = clients.presigner(); var sns = clients.sns();
             var sesClient = clients.ses()) {
            s3.createBucket(b -> b.bucket(bucket));
            camel.getRegistry().bind("capsSnsClient", sns);
            camel.getRegistry().bind("capsSesClient", sesClient);
            ReportMail mail = new ReportMail("reports@example.com", "ops@example.com", 0, MessageCaps.SES_MAX_BYTES);
            MailChannel sesChannel = new MailChannel(camel, "aws2-ses://reports@example.com?amazonSESClient=#capsSesClient"
                    + "&to=ops@example.com", "SES", mail);
            AwsReportDelivery delivery = new AwsReportDelivery(s3, presigner, bucket, "reports", Duration.ofHours(1), camel,
                    "aws2-sns:" + topic.arn() + "?amazonSNSClient=#capsSnsClient&autoCreateTopic=false", sesChannel, 0);
            ReportReceipt receipt = delivery.deliver(rendered);

            // S3: the full report
            String page = s3.getObjectAsBytes(b -> b.bucket(bucket).key("reports/dt=" + DAY + "/report-" + DAY + ".html"))
                    .asUtf8String();
            assertThat(anomalyRows(page)).isEqualTo(10_000);

            // SES: the raw MIME below 10 MB, every anomaly in it (10,000 rows fit)
            LoggedRequest send = ses.findAll(postRequestedFor(urlEqualTo("/"))).get(0);
            byte[] raw = java.util.Base64.getDecoder().decode(form(send.getBodyAsString()).get("RawMessage.Data"));
            assertThat((long) raw.length).isLessThan(MessageCaps.SES_MAX_BYTES);
            MailParts parts = MailParts.parse(raw);
            assertThat(anomalyRows(parts.html())).isEqualTo(10_000);
            assertThat(parts.structure()).isEqualTo("multipart/alternative[text/plain, multipart/related[text/html, image/png]]");

            // SNS: the whole text would be far over 256 KiB; the message sent is under it, cut, with the link
            assertThat(rendered.text().getBytes(StandardCharsets.UTF_8).length).isGreaterThan(262_144);
            assertThat(topic.publishes()).hasSize(1);
            Map<String, String> published = form(topic.publishes().get(0).getBodyAsString());
            String message = published.get("Message");
            assertThat(message.getBytes(StandardCharsets.UTF_8).length + published.get("Subject").length())
                    .isLessThanOrEqualTo(262_144);
            int hidden = hiddenAnomalies(message);
            assertThat(hidden).isBetween(1, 9_999);
            assertThat(message).contains("  … " + hidden + " more, see the full report", receipt.locations().get(2));
            assertThat(published.get("Subject")).isEqualTo("Stock report 2026-11-25: 20 symbols, 10000 anomalies");
            assertThat(receipt.locations()).contains("mail:ses-10000");
        }
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
}
