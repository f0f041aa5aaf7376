package dev.quotestream.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One report to produce: the trading day (each exchange's own date, the lake's {@code dt} partition), the symbols
 * (empty = every symbol in the lake that day) and the anomaly threshold in percent. Built only by
 * {@link ReportRequests}, which validates every field.
 */
public record ReportRequest(LocalDate date, List<String> symbols, BigDecimal thresholdPercent, Instant requestedAt) {

    public ReportRequest {
        symbols = List.copyOf(symbols);
    }

    /** The symbols as one comma-separated query parameter; '' means all. */
    public String symbolsParameter() {
        return String.join(",", symbols);
    }
}
