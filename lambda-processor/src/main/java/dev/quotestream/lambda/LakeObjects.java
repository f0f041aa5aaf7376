package dev.quotestream.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quotestream.metrics.ProcessedQuote;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The lake's keys and lines (docs/data-contract.md §4), byte for byte what the Camel side's
 * {@code dev.quotestream.pipeline.LakeRecords} writes. LakeRecords itself cannot be used here because it
 * is also a Camel AggregationStrategy; LakeParityTest compiles the real LakeRecords and compares.
 */
public final class LakeObjects {

    private static final DateTimeFormatter FLUSH_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
    private final ObjectMapper mapper = new ObjectMapper();
    private final String prefix;

    public LakeObjects(String prefix) {
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** {@code raw/dt=YYYY-MM-DD/ticker=SYMBOL}. */
    public String partition(ProcessedQuote quote) {
        return prefix + "/dt=" + quote.tradingDay() + "/ticker=" + quote.symbol();
    }

    /** One JSON line of the raw quote (no newline), numbers without trailing zeros. */
    public String jsonLine(ProcessedQuote quote) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("symbol", quote.symbol());
        raw.put("timestamp", quote.timestamp());
        raw.put("open", plain(quote.open()));
        raw.put("high", plain(quote.high()));
        raw.put("low", plain(quote.low()));
        raw.put("price", plain(quote.price()));
        raw.put("volume", quote.volume());
        raw.put("previous_close", plain(quote.previousClose()));
        try {
            return mapper.writeValueAsString(raw);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize lake line of " + quote.symbol(), e);
        }
    }

    /** {@code <partition>/part-<UTC flush time>-<8 hex>.json}. */
    public String objectKey(String partition, Instant flushTime) {
        return partition + "/part-" + FLUSH_TIME.format(flushTime) + "-"
                + UUID.randomUUID().toString().substring(0, 8) + ".json";
    }

    /** JSON Lines, newline-terminated. */
    public static String content(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    private static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
