package dev.quotestream.dashboard;

import dev.quotestream.core.metrics.ProcessedQuote;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One normal form for what the two tables give back, so the API answers the same JSON in both profiles:
 * numbers as exact decimals without trailing zeros (SQLite returns REAL, DynamoDB trims N values),
 * SQLite's 0/1 flags as booleans, and attributes in contract order, unknown ones after, by name.
 */
public final class TableValues {

    /** Contract §5 order of the alert message. */
    public static final List<String> ALERT_ATTRIBUTES = List.of("symbol", "timestamp", "trading_day", "price",
            "previous_close", "change_percent", "threshold_percent", "direction", "severity", "crossing",
            "subject", "message");
    /** SQLite has no boolean type: these columns hold 0/1. */
    private static final List<String> BOOLEAN_COLUMNS = List.of("anomaly");

    private TableValues() {
    }

    public static BigDecimal decimal(BigDecimal d) {
        BigDecimal stripped = d.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** A value read from SQLite (JDBC) or parsed from JSON, in the normal form. */
    public static Object value(String name, Object v) {
        if (v == null) {
            return null;
        }
        if (BOOLEAN_COLUMNS.contains(name) && v instanceof Number n) {
            return n.intValue() != 0;
        }
        if (v instanceof BigDecimal d) {
            return decimal(d);
        }
        if (v instanceof Double || v instanceof Float) {
            return decimal(BigDecimal.valueOf(((Number) v).doubleValue()));
        }
        if (v instanceof Number n) {
            return decimal(new BigDecimal(n.toString()));
        }
        return v;
    }

    public static Map<String, Object> quote(Map<String, Object> raw) {
        return ordered(raw, ProcessedQuote.ATTRIBUTES);
    }

    public static Map<String, Object> alert(Map<String, Object> raw) {
        return ordered(raw, ALERT_ATTRIBUTES);
    }

    private static Map<String, Object> ordered(Map<String, Object> raw, List<String> order) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : order) {
            if (raw.containsKey(name)) {
                out.put(name, value(name, raw.get(name)));
            }
        }
        List<String> rest = new ArrayList<>(raw.keySet());
        rest.removeAll(order);
        rest.sort(null);
        for (String name : rest) {
            out.put(name, value(name, raw.get(name)));
        }
        return out;
    }
}
