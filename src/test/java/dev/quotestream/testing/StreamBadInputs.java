package dev.quotestream.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The stream and Lambda path's bad inputs (issue 9, item 10): one record each, fed to the Camel route (through
 * Kinesis) and to the Lambda, which must both store it or dead-letter it with the same reason. Plain data, shared
 * by the root's and lambda-processor's tests. Each case has its own partition key, which is also the dead letter's
 * symbol (a record that cannot be decoded is known by its key).
 */
public final class StreamBadInputs {

    public enum Outcome { STORED, DEAD_LETTERED }

    /**
     * @param key        the record's partition key (and, for a stored case, its quote's symbol)
     * @param data       the record's bytes; null for {@link #base64} cases
     * @param base64     the event's data field as Lambda would hand it over, for a Lambda-only case (not base64)
     * @param reason     what the dead letter's reason contains, or for a stored case what is checked (see tests)
     * @param records    how many records the case writes (a duplicate writes two)
     */
    public record Case(String name, String key, byte[] data, String base64, Outcome outcome, String reason, int records) {
        @Override
        public String toString() {
            return name;
        }

        public boolean lambdaOnly() {
            return base64 != null;
        }
    }

    /** A valid quote of {@code symbol} at 2026-11-25T15:MM:00Z, with one field replaced by {@code replace} → {@code with}. */
    public static String quote(String symbol, int minute, String replace, String with) {
        String q = "{\"symbol\":\"" + symbol + "\",\"timestamp\":\"2026-11-25T15:" + String.format("%02d", minute)
                + ":00Z\",\"open\":100.5,\"high\":104.25,\"low\":99.75,\"price\":101.5,\"volume\":125000,"
                + "\"previous_close\":100,\"currency\":\"USD\",\"exchange_timezone\":\"America/New_York\"}";
        if (replace != null && !q.contains(replace)) {
            throw new IllegalArgumentException(replace + " not in " + q);
        }
        return replace == null ? q : q.replace(replace, with);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static List<Case> all() {
        List<Case> c = new ArrayList<>();
        c.add(dead("not JSON", "NOTJSON", utf8("hello, stream"), "JsonParseException"));
        c.add(dead("truncated JSON", "TRUNCATED", utf8(quote("TRUNCATED", 1, null, null).substring(0, 60)), "JsonEOFException"));
        c.add(dead("white space only", "BLANK", utf8("   \n "), "record is empty (white space only)"));
        c.add(dead("JSON null", "JSONNULL", utf8("null"), "record is not a JSON object but null"));
        c.add(dead("a JSON array", "ARRAY", utf8("[" + quote("ARRAY", 2, null, null) + "]"), "record is not a JSON object but an array"));
        c.add(dead("two JSON objects in one record", "TWOOBJ",
                utf8(quote("TWOOBJ", 3, null, null) + quote("TWOOBJ", 4, null, null)), "record holds more than one JSON value"));
        c.add(dead("a key given twice", "DUPKEY", utf8(quote("DUPKEY", 5, "\"volume\":125000", "\"volume\":125000,\"volume\":1")),
                "Duplicate field 'volume'"));
        c.add(dead("missing price", "NOPRICE", utf8(quote("NOPRICE", 6, "\"price\":101.5,", "")), "price is missing"));
        c.add(dead("a price sent as a string", "STRPRICE", utf8(quote("STRPRICE", 7, "\"price\":101.5", "\"price\":\"101.5\"")),
                "price is not a number (\"101.5\")"));
        c.add(dead("volume 2^64+5", "WRAPVOL", utf8(quote("WRAPVOL", 8, "\"volume\":125000", "\"volume\":18446744073709551621")),
                "volume does not fit a 64-bit integer (18446744073709551621)"));
        c.add(dead("volume 1e19", "E19VOL", utf8(quote("E19VOL", 9, "\"volume\":125000", "\"volume\":1e19")),
                "volume does not fit a 64-bit integer (10000000000000000000)"));
        c.add(dead("a negative volume", "NEGVOL", utf8(quote("NEGVOL", 10, "\"volume\":125000", "\"volume\":-2")),
                "volume is negative (-2)"));
        c.add(dead("price 1e300 (DynamoDB: Number overflow)", "E300", utf8(quote("E300", 11, "\"price\":101.5", "\"price\":1e300")),
                "price is beyond 1000000000000000 (1E+300)"));
        c.add(dead("price NaN", "NANPRICE", utf8(quote("NANPRICE", 12, "\"price\":101.5", "\"price\":NaN")), "JsonParseException"));
        c.add(dead("price with 13 decimal places", "DECIMALS", utf8(quote("DECIMALS", 13, "\"price\":101.5", "\"price\":101.5000000000001")),
                "price has more than 12 decimal places"));
        c.add(dead("a market time in milliseconds", "MILLIS", utf8(quote("MILLIS", 14, "\"2026-11-25T15:14:00Z\"", "\"+58871-02-11T08:00:00Z\"")),
                "is more than a day in the future"));
        c.add(dead("a market time before 2000", "Y1999", utf8(quote("Y1999", 15, "\"2026-11-25T15:15:00Z\"", "\"1999-12-31T23:59:00Z\"")),
                "is before 2000-01-01T00:00:00Z"));
        c.add(dead("high below low", "HIGHLOW", utf8(quote("HIGHLOW", 16, "\"high\":104.25", "\"high\":99.5")),
                "high (99.5) is below low (99.75)"));
        c.add(dead("not a ticker symbol", "INJECT", utf8(quote("aapl;drop", 17, null, null)), "is not a ticker symbol"));
        c.add(dead("invalid UTF-8", "BADUTF8", concat(utf8("{\"symbol\":\""), new byte[]{(byte) 0xC3, (byte) 0x28},
                utf8("\"}")), "Invalid UTF-8"));
        // Were transient, so retried forever by the route and sent to the Lambda's failure queue (review of the
        // poison rule): Jackson's encoding guess threw an IOException; BigInteger overflowed, computed 10^400000000, or
        // a message wrote 1e-400000000 out in full (400 million characters).
        c.add(dead("bytes Jackson took for UTF-32 ('{' then NULs)", "UTF32", concat(new byte[]{0x7b, 0, 0, 0},
                utf8("garbage garbage")), "Illegal character ((CTRL-CHAR, code 0))"));
        c.add(dead("volume 1e600000000 (BigInteger overflow)", "EXPVOL", utf8(quote("EXPVOL", 24, "\"volume\":125000",
                "\"volume\":1e600000000")), "volume does not fit a 64-bit integer (1E+600000000)"));
        c.add(dead("volume 1e400000000 (10^400000000 computed)", "BIGVOL", utf8(quote("BIGVOL", 25, "\"volume\":125000",
                "\"volume\":1e400000000")), "volume does not fit a 64-bit integer (1E+400000000)"));
        c.add(dead("price 1e-400000000", "TINYPRICE", utf8(quote("TINYPRICE", 26, "\"price\":101.5",
                "\"price\":1e-400000000")), "price has more than 12 decimal places (1E-400000000)"));
        byte[] megabyte = new byte[1_000_000];
        Arrays.fill(megabyte, (byte) 'x');
        c.add(dead("a 1 MB record", "ONEMB", megabyte, "record is 1000000 bytes, over the limit of 32768 bytes"));
        // Stored, with the digits they were given, and idempotent:
        c.add(new Case("a penny price (0.00004) kept whole", "PENNY",
                utf8(quote("PENNY", 20, null, null).replace("\"open\":100.5", "\"open\":0.00005").replace("\"high\":104.25", "\"high\":0.00005")
                        .replace("\"low\":99.75", "\"low\":0.00003").replace("\"price\":101.5", "\"price\":0.00004")
                        .replace("\"previous_close\":100", "\"previous_close\":0.00005")), null, Outcome.STORED, "0.00004", 1));
        c.add(new Case("the same record twice", "TWICE", utf8(quote("TWICE", 21, null, null)), null, Outcome.STORED,
                "one item", 2));
        c.add(new Case("out of order (an older quote after a newer one)", "LATE",
                concat(utf8(quote("LATE", 23, null, null)), utf8("\n"), utf8(quote("LATE", 22, null, null))), null,
                Outcome.STORED, "both stored", 2));
        c.add(new Case("data that is not base64 (Lambda event)", "BASE64", null, "!!not*base64!!", Outcome.DEAD_LETTERED,
                "record data is not valid base64", 1));
        return c;
    }

    /** The records a case writes, in order (most write one). */
    public static List<byte[]> records(Case c) {
        if (c.records() == 2 && c.key().equals("TWICE")) {
            return List.of(c.data(), c.data());
        }
        if (c.records() == 2) {
            String[] two = new String(c.data(), StandardCharsets.UTF_8).split("\n");
            return List.of(utf8(two[0]), utf8(two[1]));
        }
        return List.of(c.data());
    }

    private static Case dead(String name, String key, byte[] data, String reason) {
        return new Case(name, key, data, null, Outcome.DEAD_LETTERED, reason, 1);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
