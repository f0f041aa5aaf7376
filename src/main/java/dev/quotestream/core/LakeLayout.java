package dev.quotestream.core;

import dev.quotestream.core.metrics.ProcessedQuote;

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
 * {@code dt} is the exchange-local trading day; {@code ticker} is the symbol escaped as Hive escapes partition
 * values ({@link #escapePathName}), so {@code EURUSD=X} lands in {@code ticker=EURUSD%3DX}.
 * Plain Java (Jackson only, no Camel): shared by the Camel side's {@code LakeRecords} and the Lambda.
 */
public class LakeLayout {

    private static final DateTimeFormatter FLUSH_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private final String prefix;

    public LakeLayout(String prefix) {
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** The partition of a quote: hive-style names that collide with no JSON field, values escaped. */
    public String partition(ProcessedQuote quote) {
        return prefix + "/dt=" + quote.tradingDay() + "/ticker=" + escapePathName(quote.symbol());
    }

    /**
     * Hive's partition-value escaping (org.apache.hadoop.hive.common.FileUtils#escapePathName): the control
     * characters and {@code " # % ' * / : = ? \ DEL { [ ] ^} become {@code %XX} (upper-case hex); everything
     * else is kept. Hive, Athena's MSCK REPAIR, Spark and DuckDB read {@code %XX} back as the character.
     */
    public static String escapePathName(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            if (c < ' ' || c == 0x7F || "\"#%'*/:=?\\{[]^".indexOf(c) >= 0) {
                out.append('%').append(String.format("%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The inverse of {@link #escapePathName}: {@code %XX} back to the character. */
    public static String unescapePathName(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 2 < value.length() && isHex(value.charAt(i + 1)) && isHex(value.charAt(i + 2))) {
                out.append((char) Integer.parseInt(value.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
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
        raw.put("currency", quote.currency());
        raw.put("exchange_timezone", quote.exchangeTimezone());
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
        return dev.quotestream.core.metrics.Decimals.plain(value);
    }
}
