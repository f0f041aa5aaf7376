package dev.quotestream.core.metrics;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The alert published for a threshold crossing (docs/data-contract.md, "Alert message"). Its idempotency key
 * {@code SYMBOL|trading day|crossing} names the crossing: a subscriber drops a message whose key it has seen.
 */
public record AlertMessage(String symbol, String timestamp, String tradingDay, BigDecimal price,
                           BigDecimal previousClose, BigDecimal changePercent, BigDecimal thresholdPercent,
                           String direction, String severity, int crossing) {

    /** SNS: a subject is printable ASCII, under 100 characters. */
    public static final int MAX_SUBJECT_LENGTH = 99;
    /** The SNS message attributes every alert carries, whichever side publishes it. */
    public static final String[] ATTRIBUTE_NAMES = {"symbol", "severity", "alert_key"};

    /** Beyond twice the threshold is critical; otherwise a warning. */
    public static AlertMessage of(ProcessedQuote quote, BigDecimal thresholdPercent, int crossing) {
        BigDecimal magnitude = quote.changePercent().abs();
        String severity = magnitude.compareTo(thresholdPercent.multiply(BigDecimal.valueOf(2))) > 0
                ? "critical" : "warning";
        String direction = quote.changePercent().signum() >= 0 ? "up" : "down";
        return new AlertMessage(quote.symbol(), quote.timestamp(), quote.tradingDay(), Decimals.plain(quote.price()),
                Decimals.plain(quote.previousClose()), Decimals.plain(quote.changePercent()),
                Decimals.plain(thresholdPercent), direction, severity, crossing);
    }

    /** The idempotency key: symbol, trading day and crossing number. */
    public String alertKey() {
        return key(symbol, tradingDay, crossing);
    }

    public static String key(String symbol, String tradingDay, int crossing) {
        return symbol + "|" + tradingDay + "|" + crossing;
    }

    /** Within SNS's subject rules: printable ASCII, at most {@value #MAX_SUBJECT_LENGTH} characters. */
    public String subject() {
        String subject = symbol + " " + (direction.equals("up") ? "+" : "") + changePercent.toPlainString()
                + "% vs previous close (" + severity + ")";
        subject = subject.replaceAll("[^\\x20-\\x7E]", "?");
        return subject.length() <= MAX_SUBJECT_LENGTH ? subject : subject.substring(0, MAX_SUBJECT_LENGTH - 3) + "...";
    }

    public String text() {
        return symbol + " moved " + direction + " " + changePercent.abs().toPlainString() + "% to "
                + price.toPlainString() + " (previous close " + previousClose.toPlainString() + ") at "
                + timestamp + "; threshold " + thresholdPercent.toPlainString() + "%, crossing #" + crossing
                + " on " + tradingDay + ".";
    }

    /** The message attributes, in contract order: symbol, severity, alert_key (never empty strings). */
    public Map<String, String> attributes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("symbol", symbol);
        m.put("severity", severity);
        m.put("alert_key", alertKey());
        return m;
    }

    /** The message body's attributes, in contract order. */
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
        m.put("alert_key", alertKey());
        m.put("subject", subject());
        m.put("message", text());
        return m;
    }

    /** Back from {@link #toAttributes()} as a JSON library decoded it (numbers as any {@link Number}). */
    public static AlertMessage fromAttributes(Map<String, ?> m) {
        return new AlertMessage((String) m.get("symbol"), (String) m.get("timestamp"), (String) m.get("trading_day"),
                decimal(m.get("price")), decimal(m.get("previous_close")), decimal(m.get("change_percent")),
                decimal(m.get("threshold_percent")), (String) m.get("direction"), (String) m.get("severity"),
                ((Number) m.get("crossing")).intValue());
    }

    private static BigDecimal decimal(Object v) {
        return v instanceof BigDecimal d ? d : new BigDecimal(String.valueOf(v));
    }
}
