package dev.quotestream.report;

import dev.quotestream.core.metrics.Quote;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the route's untrusted inputs (report date, symbol list) into a typed {@link ReportRequest}.
 * The date must be ISO {@code YYYY-MM-DD} (blank = today in the report's timezone); every symbol must
 * match the contract's ticker pattern. Nothing else reaches the SQL.
 */
public class ReportRequests {

    private final ZoneId zone;
    private final List<String> symbols;
    private final BigDecimal thresholdPercent;
    private final Clock clock;

    public ReportRequests(ZoneId zone, String symbols, BigDecimal thresholdPercent, Clock clock) {
        this.zone = zone;
        this.symbols = parseSymbols(symbols);
        if (thresholdPercent.signum() <= 0) {
            throw new IllegalArgumentException("anomaly threshold must be positive: " + thresholdPercent);
        }
        this.thresholdPercent = thresholdPercent;
        this.clock = clock;
    }

    /** The request for the given date text; blank or null means today in the report timezone. */
    public ReportRequest create(String date) {
        LocalDate day;
        if (date == null || date.isBlank()) {
            day = LocalDate.now(clock.withZone(zone));
        } else {
            try {
                day = LocalDate.parse(date.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("report date '" + date + "' is not YYYY-MM-DD", e);
            }
        }
        return new ReportRequest(day, symbols, thresholdPercent, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    public static List<String> parseSymbols(String text) {
        List<String> result = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return result;
        }
        for (String s : Arrays.stream(text.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList()) {
            String symbol = s.toUpperCase();
            if (!Quote.SYMBOL.matcher(symbol).matches()) {
                throw new IllegalArgumentException("report symbol '" + s + "' is not a ticker symbol");
            }
            if (!result.contains(symbol)) {
                result.add(symbol);
            }
        }
        return result;
    }
}
