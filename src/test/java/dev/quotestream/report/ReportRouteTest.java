package dev.quotestream.report;

import dev.quotestream.report.SyntheticLake.Tick;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report route itself, in the local profile, run on demand the way {@link ReportNow} runs it: Camel Main
 * with application.properties + application-local.properties, routes/report.yaml, the local report beans.
 */
class ReportRouteTest {

    @TempDir
    Path dataDir;

    @Test
    void onDemandRunWritesTextHtmlAndPng() throws Exception {
        LocalDate day = LocalDate.of(2026, 11, 24);
        Map<LocalDate, Map<String, List<Tick>>> lake = new SyntheticLake(dataDir, 11, 30, 100)
                .write(List.of(day.minusDays(1), day), List.of("AAPL", "GOOGL", "MSFT"));

        ReportOutcome outcome = ReportMainRun.run(Map.of(
                "data.dir", dataDir.toString(),
                "report.date", day.toString(),
                "report.chart-width", "640",
                "report.chart-height", "400"), main -> {
                    CamelContext context = main.getCamelContext();
                    assertThat(context.getRouteController().getRouteStatus("report-schedule"))
                            .isEqualTo(ServiceStatus.Started);
                    assertThat(context.getRoute("report-schedule").getEndpoint().getEndpointUri())
                            .startsWith("quartz://reports/daily-report");
                });
        assertThat(outcome.failure()).isNull();

        Path reports = dataDir.resolve("reports");
        Path text = reports.resolve("report-" + day + ".txt");
        Path html = reports.resolve("report-" + day + ".html");
        Path png = reports.resolve("report-" + day + ".png");
        assertThat(outcome.receipt()).isInstanceOf(ReportReceipt.class);
        assertThat(((ReportReceipt) outcome.receipt()).locations())
                .containsExactly(text.toAbsolutePath().toString(), html.toAbsolutePath().toString(),
                        png.toAbsolutePath().toString());

        String body = Files.readString(text);
        for (Map.Entry<String, List<Tick>> e : lake.get(day).entrySet()) {
            Tick last = e.getValue().get(e.getValue().size() - 1);
            assertThat(body).contains(String.format(Locale.ROOT, "%-10s %12s %12s", e.getKey(),
                    ReportRenderer.price(last.open()), ReportRenderer.price(last.price())));
            assertThat(body).contains(String.format(Locale.ROOT, "%-10s %s  lag", e.getKey(), last.timestamp()));
        }
        assertThat(body).startsWith("Stock report for " + day);
        assertThat(Files.readString(html)).contains("<img id=\"chart\"", "data:image/png;base64,");
        var image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(400);
        try (var files = Files.list(reports)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(text.getFileName().toString(), html.getFileName().toString(),
                            png.getFileName().toString());
        }
    }

    @Test
    void scheduledRunReportsTodayInTheConfiguredTimezone() throws Exception {
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        new SyntheticLake(dataDir, 5, 30, 200).write(List.of(today.minusDays(1), today, today.plusDays(1)),
                List.of("AAPL", "MSFT"));
        Path reports = dataDir.resolve("reports");
        ReportOutcome outcome = ReportMainRun.run(Map.of(
                "data.dir", dataDir.toString(),
                "report.cron", "0/2 * * * * ?",
                "report.timezone", "UTC"), false, () -> Files.exists(reports.resolve("report-" + today + ".txt"))
                        || Files.exists(reports.resolve("report-" + today.plusDays(1) + ".txt")), main -> {
                    CamelContext context = main.getCamelContext();
                    assertThat(context.getRouteController().getRouteStatus("report-on-demand"))
                            .isEqualTo(ServiceStatus.Stopped);
                });
        assertThat(outcome.isDone()).as("no on-demand run").isFalse();
        try (var files = Files.list(reports)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt")).toList();
            assertThat(names).hasSize(1);
            String date = names.get(0).substring("report-".length(), "report-YYYY-MM-DD".length());
            assertThat(Files.readString(reports.resolve(names.get(0))))
                    .startsWith("Stock report for " + date)
                    .contains("AAPL ", "MSFT ")
                    .doesNotContain("No quotes");
        }
    }
}
