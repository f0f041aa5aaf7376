package dev.quotestream.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Local delivery: {@code <data.dir>/reports/report-YYYY-MM-DD.txt}, {@code .html} (chart embedded) and
 * {@code .png} beside it. Each file is written under a temporary name and renamed. The paths are logged.
 * With an SMTP server configured ({@code report.mail.host}), the report is also e-mailed ({@link MailChannel}),
 * its "full report" pointing at the HTML file.
 */
public class LocalReportDelivery implements ReportDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(LocalReportDelivery.class);

    private final Path reportsDir;
    private final MailChannel mail;

    public LocalReportDelivery(Path reportsDir) {
        this(reportsDir, null);
    }

    /** @param mail the SMTP channel, or null for files only */
    public LocalReportDelivery(Path reportsDir, MailChannel mail) {
        this.reportsDir = reportsDir.toAbsolutePath().normalize();
        this.mail = mail;
    }

    @Override
    public ReportReceipt deliver(RenderedReport report) {
        try {
            Files.createDirectories(reportsDir);
            Path text = write(report.baseName() + ".txt", report.text().getBytes(StandardCharsets.UTF_8));
            Path html = write(report.baseName() + ".html", report.html().getBytes(StandardCharsets.UTF_8));
            Path png = write(report.baseName() + ".png", report.chartPng());
            LOG.info("Report {} written: {} | {} | {}", report.report().date(), text, html, png);
            List<String> locations = new ArrayList<>(List.of(text.toString(), html.toString(), png.toString()));
            if (mail != null) {
                locations.add("mail:" + mail.send(report, html.toUri().toString()));
            }
            return new ReportReceipt(report.report().date(), List.copyOf(locations));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report under " + reportsDir, e);
        }
    }

    private Path write(String name, byte[] content) throws IOException {
        Path target = reportsDir.resolve(name);
        Path temp = reportsDir.resolve(name + ".inprogress");
        Files.write(temp, content);
        return Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
