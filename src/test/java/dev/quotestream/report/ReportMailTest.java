package dev.quotestream.report;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local report e-mail over real SMTP: GreenMail listens in this JVM (dynamic port), the application's Camel Main
 * runs the report route on demand in the local profile with {@code report.mail.*} set, and the received messages are
 * taken apart: recipients, subject, the MIME tree, the text, the HTML table and the inline chart.
 */
class ReportMailTest {

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @TempDir
    Path dataDir;

    @Test
    void aLocalRunWithAnSmtpServerDeliversTheReportWithItsChartInline() throws Exception {
        LocalDate day = LocalDate.of(2026, 11, 24);
        var lake = new SyntheticLake(dataDir, 11, 30, 100).write(List.of(day), List.of("AAPL", "GOOGL", "MSFT"));

        ReportOutcome outcome = ReportMainRun.run(Map.of(
                "data.dir", dataDir.toString(),
                "report.date", day.toString(),
                "report.chart-width", "640",
                "report.chart-height", "400",
                "report.mail.host", "127.0.0.1",
                "report.mail.port", String.valueOf(smtp.getSmtp().getPort()),
                "report.mail.from", "Quote reports <reports@example.com>",
                "report.mail.to", "ops@example.com,analyst@example.org",
                "report.mail.subject", "Daily quotes {date}: {symbols} symbols, {anomalies} anomalies"), main -> { });
        assertThat(outcome.failure()).isNull();

        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).as("one delivery per recipient").hasSize(2);
        // the envelope: each recipient's mailbox got the report once
        for (String recipient : List.of("ops@example.com", "analyst@example.org")) {
            var user = smtp.getUserManager().getUserByEmail(recipient);
            assertThat(user).as(recipient).isNotNull();
            assertThat(smtp.getManagers().getImapHostManager().getInbox(user).getMessageCount()).as(recipient).isEqualTo(1);
        }

        Path png = dataDir.resolve("reports/report-" + day + ".png");
        Path html = dataDir.resolve("reports/report-" + day + ".html");
        MailParts mail = MailParts.of(received[0], received[0].getSize());
        assertThat(mail.from()).isEqualTo("Quote reports <reports@example.com>");
        assertThat(mail.to()).containsExactly("ops@example.com", "analyst@example.org");
        int anomalies = ((ReportReceipt) outcome.receipt()).date().equals(day) ? countAnomalies(Files.readString(
                dataDir.resolve("reports/report-" + day + ".txt"))) : -1;
        assertThat(mail.subject()).isEqualTo("Daily quotes " + day + ": 3 symbols, " + anomalies + " anomalies");
        assertThat(mail.structure()).isEqualTo("multipart/alternative[text/plain, multipart/related[text/html, image/png]]");
        assertThat(mail.image()).as("the chart, inline").isEqualTo(Files.readAllBytes(png));
        assertThat(mail.imageDisposition()).isEqualTo("inline");
        assertThat(mail.html()).contains("src=\"cid:" + mail.imageContentId() + "\"").doesNotContain("data:image/png");
        for (var e : lake.get(day).entrySet()) {
            var last = e.getValue().get(e.getValue().size() - 1);
            assertThat(mail.html()).contains("<td>" + e.getKey() + "</td><td>" + ReportRenderer.price(last.open())
                    + "</td><td>" + ReportRenderer.price(last.price()) + "</td>");
            assertThat(mail.text()).contains(String.format(Locale.ROOT, "%-10s %12s %12s", e.getKey(),
                    ReportRenderer.price(last.open()), ReportRenderer.price(last.price())));
        }
        assertThat(mail.text()).startsWith("Stock report for " + day)
                .contains("Full report with chart: " + html.toAbsolutePath().toUri());
        assertThat(((ReportReceipt) outcome.receipt()).locations()).hasSize(4).last().asString().startsWith("mail:<");
    }

    @Test
    void recipientsWithoutAnSmtpServerAreAConfigurationErrorLocally() throws Exception {
        new SyntheticLake(dataDir, 11, 30, 100).write(List.of(LocalDate.of(2026, 11, 24)), List.of("AAPL"));
        ReportOutcome outcome = ReportMainRun.run(Map.of(
                "data.dir", dataDir.toString(),
                "report.date", "2026-11-24",
                "report.mail.from", "reports@example.com",
                "report.mail.to", "ops@example.com"), main -> { });
        assertThat(outcome.failure()).isNotNull();
        assertThat(outcome.failure()).hasMessageContaining("report.mail.host is blank");
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    static int countAnomalies(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Anomalies \\((\\d+)\\)").matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
