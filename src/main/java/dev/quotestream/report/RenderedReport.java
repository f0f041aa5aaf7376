package dev.quotestream.report;

/** A report ready to deliver: subject line, plain-text summary, full HTML (chart embedded) and the chart PNG. */
public record RenderedReport(DailyReport report, String subject, String text, String html, byte[] chartPng) {

    /** Base name of the report's files and objects: {@code report-YYYY-MM-DD}. */
    public String baseName() {
        return "report-" + report.date();
    }
}
