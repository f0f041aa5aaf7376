package dev.quotestream.quotes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.quotestream.metrics.InvalidQuoteException;
import dev.quotestream.metrics.Quote;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Yahoo Finance v8 chart response ({@code interval=1m&range=1d}) into one normalized quote.
 * open/high/low/volume are the session so far, aggregated from the minute bars (nulls skipped), as
 * yfinance's {@code history(period="1d")} reports them; price is {@code meta.regularMarketPrice}, the last
 * traded price; timestamp is {@code meta.regularMarketTime}; previous_close is {@code meta.previousClose},
 * else {@code meta.chartPreviousClose} (the close before the requested range).
 */
public class YahooChartParser {

    /** What a double holds honestly, and what the contract allows (docs/data-contract.md §1). */
    private static final MathContext DOUBLE_DIGITS = new MathContext(Quote.MAX_SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN);

    // NaN/Infinity are accepted by the parser so that validation can name them instead of a parse error.
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    public Quote parse(String body, String requestedSymbol) {
        String symbol = requestedSymbol == null ? "?" : requestedSymbol;
        if (body == null || body.isBlank()) {
            throw new InvalidQuoteException("Yahoo chart response for " + symbol + " is empty");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidQuoteException("Yahoo chart response for " + symbol + " is not JSON: "
                    + e.getOriginalMessage());
        }
        JsonNode chart = root.path("chart");
        if (!chart.isObject()) {
            throw new InvalidQuoteException("Yahoo chart response for " + symbol + " has no 'chart' object");
        }
        JsonNode error = chart.path("error");
        if (!error.isMissingNode() && !error.isNull()) {
            throw new InvalidQuoteException("Yahoo chart error for " + symbol + ": " + describeError(error));
        }
        JsonNode result = chart.path("result");
        if (!result.isArray() || result.isEmpty()) {
            throw new InvalidQuoteException("Yahoo chart response for " + symbol + " has no result");
        }
        JsonNode first = result.get(0);
        JsonNode meta = first.path("meta");
        if (!meta.isObject()) {
            throw new InvalidQuoteException("Yahoo chart response for " + symbol + " has no meta");
        }
        String metaSymbol = meta.path("symbol").asText(null);
        if (requestedSymbol != null && metaSymbol != null && !metaSymbol.equalsIgnoreCase(requestedSymbol)) {
            throw new InvalidQuoteException("Yahoo chart response for " + requestedSymbol
                    + " describes another symbol: " + metaSymbol);
        }
        if (metaSymbol != null) {
            symbol = metaSymbol;
        }

        JsonNode timestamps = first.path("timestamp");
        JsonNode bars = first.path("indicators").path("quote").path(0);
        Double open = null;
        Double high = null;
        Double low = null;
        Double lastClose = null;
        long volume = 0;
        long lastBarTime = -1;
        int usableBars = 0;
        int count = timestamps.isArray() ? timestamps.size() : 0;
        for (int i = 0; i < count; i++) {
            Double o = number(bars.path("open").path(i));
            Double h = number(bars.path("high").path(i));
            Double l = number(bars.path("low").path(i));
            Double c = number(bars.path("close").path(i));
            Double v = number(bars.path("volume").path(i));
            if (o == null && h == null && l == null && c == null) {
                continue; // a bar with no trade: Yahoo sends nulls
            }
            usableBars++;
            if (open == null && o != null) {
                open = o;
            }
            if (h != null) {
                high = high == null ? h : Math.max(high, h);
            }
            if (l != null) {
                low = low == null ? l : Math.min(low, l);
            }
            if (c != null) {
                lastClose = c;
            }
            if (v != null && Double.isFinite(v)) {
                volume += (long) v.doubleValue();
            }
            lastBarTime = timestamps.path(i).asLong(-1);
        }
        if (usableBars == 0) {
            throw new InvalidQuoteException("Yahoo chart response for " + symbol
                    + " has no price bars (empty or all-null indicators)");
        }

        Double price = number(meta.path("regularMarketPrice"));
        if (price == null) {
            price = lastClose;
        }
        long marketTime = meta.path("regularMarketTime").asLong(-1);
        if (marketTime <= 0) {
            marketTime = lastBarTime;
        }
        if (marketTime <= 0) {
            throw new InvalidQuoteException("Yahoo chart response for " + symbol + " has no market time");
        }
        Double previousClose = number(meta.path("previousClose"));
        if (previousClose == null) {
            previousClose = number(meta.path("chartPreviousClose"));
        }
        String timestamp = Quote.isoTimestamp(Instant.ofEpochSecond(marketTime));
        List<String> notFinite = new ArrayList<>();
        finite("open", open, notFinite);
        finite("high", high, notFinite);
        finite("low", low, notFinite);
        finite("price", price, notFinite);
        finite("previous_close", previousClose, notFinite);
        if (!notFinite.isEmpty()) {
            throw new InvalidQuoteException("invalid quote " + symbol + " at " + timestamp + ": "
                    + String.join("; ", notFinite));
        }
        return new Quote(symbol, timestamp, rounded(open), rounded(high), rounded(low), rounded(price), volume,
                rounded(previousClose)).validated();
    }

    private static String describeError(JsonNode error) {
        String code = error.path("code").asText("");
        String description = error.path("description").asText("");
        String text = (code + ": " + description).trim();
        return text.equals(":") ? error.toString() : text;
    }

    private static Double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : null;
    }

    private static void finite(String name, Double value, List<String> problems) {
        if (value != null && !Double.isFinite(value)) {
            problems.add(name + " is not finite (" + value + ")");
        }
    }

    /**
     * Yahoo's bars are float32 values printed as doubles (75.1500015258789, 3.9999998989515E-5): such a value is
     * read as the shortest decimal that is the same float32 (75.15, 0.00004), keeping every digit float32 holds
     * (about 7) and none of its noise; a value that is no float32 (meta's 333.69) as the shortest decimal of the
     * double, at most 15 significant digits. Either way at most 12 decimal places, the contract's bound.
     */
    private static BigDecimal rounded(Double value) {
        if (value == null) {
            return null;
        }
        double v = value;
        BigDecimal decimal = (double) (float) v == v ? new BigDecimal(Float.toString((float) v))
                : new BigDecimal(Double.toString(v)).round(DOUBLE_DIGITS);
        if (decimal.scale() > Quote.MAX_DECIMAL_PLACES) {
            decimal = decimal.setScale(Quote.MAX_DECIMAL_PLACES, RoundingMode.HALF_EVEN);
        }
        return decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros();
    }
}
