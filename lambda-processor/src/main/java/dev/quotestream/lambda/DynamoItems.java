package dev.quotestream.lambda;

import dev.quotestream.metrics.AlertState;
import dev.quotestream.metrics.ProcessedQuote;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contract's DynamoDB shapes (docs/data-contract.md §2 and §3): strings as S, numbers as N (exact
 * decimal, BigDecimal#toPlainString), booleans as BOOL.
 */
public final class DynamoItems {

    public static final String ALERT_KEY_PREFIX = "ALERT#";

    private DynamoItems() {
    }

    /** The table item of a processed record: {@link ProcessedQuote#toAttributes()}, typed. */
    public static Map<String, AttributeValue> item(ProcessedQuote quote) {
        return encode(quote.toAttributes());
    }

    /** Any contract attribute map (String, BigDecimal, Long/Integer, Boolean values) as DynamoDB values. */
    public static Map<String, AttributeValue> encode(Map<String, Object> attributes) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        attributes.forEach((name, value) -> item.put(name, value(name, value)));
        return item;
    }

    static AttributeValue value(String name, Object value) {
        if (value instanceof String s) {
            return AttributeValue.fromS(s);
        }
        if (value instanceof BigDecimal d) {
            return AttributeValue.fromN(d.toPlainString());
        }
        if (value instanceof Long || value instanceof Integer) {
            return AttributeValue.fromN(value.toString());
        }
        if (value instanceof Boolean b) {
            return AttributeValue.fromBool(b);
        }
        throw new IllegalArgumentException("attribute " + name + " has no DynamoDB mapping: " + value);
    }

    public static Map<String, AttributeValue> alertKey(String symbol, String tradingDay) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put("symbol", AttributeValue.fromS(ALERT_KEY_PREFIX + symbol));
        key.put("timestamp", AttributeValue.fromS(tradingDay));
        return key;
    }

    public static Map<String, AttributeValue> alertItem(AlertState state) {
        Map<String, AttributeValue> item = alertKey(state.symbol(), state.tradingDay());
        item.put("in_anomaly", AttributeValue.fromBool(state.inAnomaly()));
        item.put("crossings", AttributeValue.fromN(Integer.toString(state.crossings())));
        item.put("last_timestamp", AttributeValue.fromS(state.lastTimestamp()));
        return item;
    }

    public static AlertState alertState(String symbol, String tradingDay, Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return null;
        }
        AttributeValue inAnomaly = item.get("in_anomaly");
        AttributeValue crossings = item.get("crossings");
        AttributeValue last = item.get("last_timestamp");
        return new AlertState(symbol, tradingDay,
                inAnomaly != null && Boolean.TRUE.equals(inAnomaly.bool()),
                crossings == null ? 0 : Integer.parseInt(crossings.n()),
                last == null ? null : last.s());
    }
}
