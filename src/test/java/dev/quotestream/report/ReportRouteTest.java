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
}
