package dev.quotestream.core;

import dev.quotestream.metrics.ProcessedQuote;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The lake's object keys and JSON lines (docs/data-contract.md, "Lake layout"):
 * {@code raw/dt=YYYY-MM-DD/ticker=SYMBOL/part-<UTC flush time>-<id>.json}, JSON Lines inside.
 * Plain Java (Jackson only, no Camel): shared by the Camel side's {@code LakeRecords} and the Lambda.
 */
public class LakeLayout {

    private static final DateTimeFormatter FLUSH_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final String prefix;

    public LakeLayout(String prefix) {
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** The partition of a quote: hive-style names that collide with no JSON field. */
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
        return Json.write(raw);
    }

    /** {@code <partition>/part-<UTC flush time>-<8 hex>.json}. */
    public String objectKey(String partition, Instant flushTime) {
        return partition + "/part-" + FLUSH_TIME.format(flushTime) + "-"
                + UUID.randomUUID().toString().substring(0, 8) + ".json";
    }

    /** One object's content: JSON Lines, newline-terminated. */
    public static String content(java.util.List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    private static BigDecimal plain(BigDecimal value) {
        return dev.quotestream.metrics.Decimals.plain(value);
    }
}
