package dev.quotestream.metrics;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processed record: the quote plus its metrics, exactly the table item of docs/data-contract.md.
 * Numbers are plain decimals ({@link Decimals#plain}); change_percent is rounded to {@link QuoteMetrics#SCALE} places.
 */
public record ProcessedQuote(String symbol, String timestamp, BigDecimal open, BigDecimal high,
                             BigDecimal low, BigDecimal price, long volume, BigDecimal previousClose,
                             BigDecimal change, BigDecimal changePercent, BigDecimal movingAvg,
                             boolean anomaly) {

    public static final List<String> ATTRIBUTES = List.of("symbol", "timestamp", "open", "high", "low",
            "price", "volume", "previous_close", "change", "change_percent", "moving_avg", "anomaly");

    /** UTC calendar date of the market time: the trading day used for alert de-duplication. */
    public String tradingDay() {
        return timestamp.substring(0, 10);
    }

    /** The contract's attribute map, in contract order: BigDecimal, Long, Boolean and String values. */
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
        m.put("change", change);
        m.put("change_percent", changePercent);
        m.put("moving_avg", movingAvg);
        m.put("anomaly", anomaly);
        return m;
    }
}
