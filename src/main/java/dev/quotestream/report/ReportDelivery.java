package dev.quotestream.report;

/** Step 4 of the report: hand the rendered report to its readers. */
public interface ReportDelivery {

    ReportReceipt deliver(RenderedReport report);
}
