package dev.quotestream.metrics;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The normalized quote: what the fetch route publishes to the stream and what the lake stores.
 * Attribute names follow docs/data-contract.md. Fields are boxed so a missing value can be reported.
 */
public record Quote(String symbol, String timestamp, Double open, Double high, Double low,
                    Double price, Long volume, Double previousClose) {

    /** Ticker symbols as Yahoo spells them: BRK-B, ^GSPC, EURUSD=X, 7203.T. */
    public static final Pattern SYMBOL = Pattern.compile("[A-Z0-9^][A-Z0-9.\\-=^]{0,19}");

    public static final List<String> ATTRIBUTES =
            List.of("symbol", "timestamp", "open", "high", "low", "price", "volume", "previous_close");

    /** Market time as the contract writes it: UTC, whole seconds, trailing Z. */
    public static String isoTimestamp(Instant marketTime) {
        return marketTime.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Rejects the quote with every problem found, in one message. */
    public Quote validated() {
        List<String> problems = new ArrayList<>();
        if (symbol == null || symbol.isBlank()) {
            problems.add("symbol is missing");
        } else if (!SYMBOL.matcher(symbol).matches()) {
            problems.add("symbol '" + symbol + "' is not a ticker symbol");
        }
        if (timestamp == null) {
            problems.add("timestamp is missing");
        } else {
            try {
                Instant parsed = Instant.parse(timestamp);
                if (!isoTimestamp(parsed).equals(timestamp)) {
                    problems.add("timestamp '" + timestamp + "' is not UTC ISO-8601 in whole seconds");
                }
            } catch (DateTimeParseException e) {
                problems.add("timestamp '" + timestamp + "' is not ISO-8601");
            }
        }
        positive("open", open, problems);
        positive("high", high, problems);
        positive("low", low, problems);
        positive("price", price, problems);
        positive("previous_close", previousClose, problems);
        if (volume == null) {
            problems.add("volume is missing");
        } else if (volume < 0) {
            problems.add("volume is negative (" + volume + ")");
        }
        if (problems.isEmpty() && high < low) {
            problems.add("high (" + high + ") is below low (" + low + ")");
        }
        if (!problems.isEmpty()) {
            throw new InvalidQuoteException("invalid quote " + (symbol == null ? "?" : symbol)
                    + (timestamp == null ? "" : " at " + timestamp) + ": " + String.join("; ", problems));
        }
        return this;
    }

    private static void positive(String name, Double value, List<String> problems) {
        if (value == null) {
            problems.add(name + " is missing");
        } else if (value.isNaN() || value.isInfinite()) {
            problems.add(name + " is not finite (" + value + ")");
        } else if (value <= 0) {
            problems.add(name + " is not positive (" + value + ")");
        }
    }

    /** The contract's attribute map, in contract order. */
    public Map<String, Object> toAttributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbol", symbol);
        m.put("timestamp", timestamp);
        m.put("open", open);
        m.put("high", high);
        m.put("low", low);
        m.put("price", price);
        m.put("volume", volume);
        m.put("previous_close", previousClose);
        return m;
    }

    /**
     * Reads a quote from a decoded JSON object (any JSON library's Map). Unknown attributes are ignored;
     * wrong types are reported. The result is not validated yet: call {@link #validated()}.
     */
    public static Quote fromAttributes(Map<String, ?> m) {
        if (m == null) {
            throw new InvalidQuoteException("quote is empty (null)");
        }
        List<String> problems = new ArrayList<>();
        String symbol = text(m, "symbol", problems);
        String timestamp = text(m, "timestamp", problems);
        Double open = decimal(m, "open", problems);
        Double high = decimal(m, "high", problems);
        Double low = decimal(m, "low", problems);
        Double price = decimal(m, "price", problems);
        Double previousClose = decimal(m, "previous_close", problems);
        Long volume = null;
        Object v = m.get("volume");
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isFinite(d) && d == Math.rint(d)) {
                volume = n.longValue();
            } else {
                problems.add("volume is not a whole number (" + v + ")");
            }
        } else if (v != null) {
            problems.add("volume is not a number (" + describe(v) + ")");
        }
        if (!problems.isEmpty()) {
            throw new InvalidQuoteException("invalid quote " + (symbol == null ? "?" : symbol) + ": "
                    + String.join("; ", problems));
        }
        return new Quote(symbol, timestamp, open, high, low, price, volume, previousClose);
    }

    private static String text(Map<String, ?> m, String name, List<String> problems) {
        Object v = m.get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        problems.add(name + " is not a string (" + describe(v) + ")");
        return null;
    }

    private static Double decimal(Map<String, ?> m, String name, List<String> problems) {
        Object v = m.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        problems.add(name + " is not a number (" + describe(v) + ")");
        return null;
    }

    private static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }
}
