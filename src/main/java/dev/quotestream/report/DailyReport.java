package dev.quotestream.report;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Everything a daily report shows, computed from the report queries by {@link ReportQueryRunner}. */
public record DailyReport(LocalDate date, Instant generatedAt, BigDecimal thresholdPercent, List<String> requestedSymbols,
                          List<SymbolSummary> symbols, List<SymbolSummary> topMovers, List<Anomaly> anomalies,
                          List<Freshness> freshness, Duration gapThreshold, List<Gap> gaps,
                          Map<String, List<Tick>> ticks) {

    /**
     * One symbol's day. open: session open; close: last traded price; high/low: session extremes; volume: session
     * volume; changePercent: close vs previous close; anomalies: ticks beyond the threshold; volatility: sample
     * standard deviation of tick-to-tick returns (price / previous tick's price - 1), null with fewer than 3 ticks.
     */
    public record SymbolSummary(String symbol, long ticks, String firstTick, String lastTick, double open, double close,
                                double high, double low, double previousClose, long volume, double changePercent,
                                long anomalies, Double volatility) {
    }

    /** A tick whose price is more than the threshold away from the previous close. */
    public record Anomaly(String symbol, String timestamp, double price, double previousClose, double changePercent) {
    }

    /** Last tick of a symbol, and how far it lags the latest tick of any symbol that day. */
    public record Freshness(String symbol, String lastTick, long lagSeconds) {
    }

    /** Consecutive ticks of one symbol further apart than the gap threshold. */
    public record Gap(String symbol, String from, String to, long seconds) {
    }

    /** One point of the price series, with the previous close the chart measures it against. */
    public record Tick(String timestamp, double price, double previousClose) {
    }

    public boolean isEmpty() {
        return symbols.isEmpty();
    }
}
