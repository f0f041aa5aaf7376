package dev.quotestream.core.metrics;

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
                             boolean anomaly, String currency, String exchangeTimezone) {

    public static final List<String> ATTRIBUTES = List.of("symbol", "timestamp", "open", "high", "low",
            "price", "volume", "previous_close", "change", "change_percent", "moving_avg", "anomaly",
            "currency", "exchange_timezone");

    /**
     * The exchange-local date of the market time (in {@code exchange_timezone}): the trading day of the lake's
     * {@code dt} partition and of alert de-duplication. A Tokyo quote at 00:30 UTC is on the Tokyo date.
     */
    public String tradingDay() {
        return Quote.tradingDay(timestamp, exchangeTimezone);
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
        m.put("currency", currency);
        m.put("exchange_timezone", exchangeTimezone);
        return m;
    }
}
