package dev.quotestream.metrics;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** The alert published for a threshold crossing (docs/data-contract.md, "Alert message"). */
public record AlertMessage(String symbol, String timestamp, String tradingDay, BigDecimal price,
                           BigDecimal previousClose, BigDecimal changePercent, BigDecimal thresholdPercent,
                           String direction, String severity, int crossing) {

    /** Beyond twice the threshold is critical; otherwise a warning. */
    public static AlertMessage of(ProcessedQuote quote, BigDecimal thresholdPercent, int crossing) {
        BigDecimal magnitude = quote.changePercent().abs();
        String severity = magnitude.compareTo(thresholdPercent.multiply(BigDecimal.valueOf(2))) > 0
                ? "critical" : "warning";
        String direction = quote.changePercent().signum() >= 0 ? "up" : "down";
        return new AlertMessage(quote.symbol(), quote.timestamp(), quote.tradingDay(), quote.price(),
                quote.previousClose(), quote.changePercent(), thresholdPercent, direction, severity, crossing);
    }

    public String subject() {
        return symbol + " " + (direction.equals("up") ? "+" : "") + changePercent.toPlainString()
                + "% vs previous close (" + severity + ")";
    }

    public String text() {
        return symbol + " moved " + direction + " " + changePercent.abs().toPlainString() + "% to "
                + price.toPlainString() + " (previous close " + previousClose.toPlainString() + ") at "
                + timestamp + "; threshold " + thresholdPercent.toPlainString() + "%, crossing #" + crossing
                + " on " + tradingDay + ".";
    }

    public Map<String, Object> toAttributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbol", symbol);
        m.put("timestamp", timestamp);
        m.put("trading_day", tradingDay);
        m.put("price", price);
        m.put("previous_close", previousClose);
        m.put("change_percent", changePercent);
        m.put("threshold_percent", thresholdPercent);
        m.put("direction", direction);
        m.put("severity", severity);
        m.put("crossing", crossing);
        m.put("subject", subject());
        m.put("message", text());
        return m;
    }
}
