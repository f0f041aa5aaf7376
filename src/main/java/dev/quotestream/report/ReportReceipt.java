package dev.quotestream.report;

import java.time.LocalDate;
import java.util.List;

/** Where a delivered report went: file paths, object URIs, presigned link, message ids. */
public record ReportReceipt(LocalDate date, List<String> locations) {

    @Override
    public String toString() {
        return "report " + date + " -> " + String.join(", ", locations);
    }
}
