package dev.quotestream.core.metrics;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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
 * Prices are the digits as given ({@link BigDecimal}, never through a double): 0.00004 stays 0.00004.
 *
 * @param currency         the price currency as Yahoo names it (USD, GBp = pence, ILA = agorot), or null when
 *                         Yahoo gives none
 * @param exchangeTimezone the exchange's IANA time zone ({@code meta.exchangeTimezoneName}): it defines the
 *                         trading day
 */
public record Quote(String symbol, String timestamp, BigDecimal open, BigDecimal high, BigDecimal low,
                    BigDecimal price, Long volume, BigDecimal previousClose, String currency, String exchangeTimezone) {

    /** Ticker symbols as Yahoo spells them: BRK-B, ^GSPC, EURUSD=X, 7203.T. */
    public static final Pattern SYMBOL = Pattern.compile("[A-Z0-9^][A-Z0-9.\\-=^]{0,19}");
    /** ISO 4217 letters, case kept: Yahoo writes minor units in lower case (GBp, ZAc). */
    public static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
    /** No market data before this (2000-01-01T00:00:00Z): an earlier time is a unit or parsing error. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** A market time may lead this machine's clock by at most this much (clock skew, time zones). */
    public static final Duration MAX_LEAD = Duration.ofDays(1);
    /**
     * Price bounds (docs/data-contract.md §1): 0 &lt; price &lt;= 10^15, at most 12 decimal places and 15
     * significant digits. Every value derived from them then fits DynamoDB's number (38 digits), and the local
     * table's REAL keeps them whole.
     */
    public static final BigDecimal MAX_PRICE = new BigDecimal("1E+15");
    public static final int MAX_DECIMAL_PLACES = 12;
    public static final int MAX_SIGNIFICANT_DIGITS = 15;
    /** volume is a 64-bit signed integer: 0 to 2^63-1. */
    public static final BigInteger MAX_VOLUME = BigInteger.valueOf(Long.MAX_VALUE);
    /** Digits of {@link #MAX_VOLUME} (9223372036854775807): a whole number with more cannot be a volume. */
    private static final int MAX_VOLUME_DIGITS = MAX_VOLUME.toString().length();

    public static final List<String> ATTRIBUTES = List.of("symbol", "timestamp", "open", "high", "low", "price",
            "volume", "previous_close", "currency", "exchange_timezone");

    /** Market time as the contract writes it: UTC, whole seconds, trailing Z. */
    public static String isoTimestamp(Instant marketTime) {
        return marketTime.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Marks a timestamp that is not in the contract's exact form. */
    static final long NOT_CANONICAL = Long.MIN_VALUE;

    /**
     * The epoch second of a timestamp written exactly as {@link #isoTimestamp} writes it ({@code 2026-09-21T14:13:20Z}),
     * read without a parser; {@link #NOT_CANONICAL} for anything else, which the ISO parser then judges. The
     * general parser was most of the cost of validating a quote and of finding its trading day.
     */
    static long canonicalEpochSecond(String t) {
        if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(19) != 'Z') {
            return NOT_CANONICAL;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return NOT_CANONICAL;
        }
        return java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second;
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
                long canonical = canonicalEpochSecond(timestamp);
                Instant parsed = canonical == NOT_CANONICAL ? Instant.parse(timestamp) : Instant.ofEpochSecond(canonical);
                if (canonical == NOT_CANONICAL && !isoTimestamp(parsed).equals(timestamp)) {
                    problems.add("timestamp '" + timestamp + "' is not UTC ISO-8601 in whole seconds");
                } else if (parsed.isBefore(EARLIEST)) {
                    problems.add("timestamp '" + timestamp + "' is before " + EARLIEST);
                } else if (parsed.isAfter(Instant.now().plus(MAX_LEAD))) {
                    problems.add("timestamp '" + timestamp + "' is more than a day in the future");
                }
            } catch (DateTimeParseException e) {
                problems.add("timestamp '" + timestamp + "' is not ISO-8601");
            }
        }
        price("open", open, problems);
        price("high", high, problems);
        price("low", low, problems);
        price("price", price, problems);
        price("previous_close", previousClose, problems);
        if (volume == null) {
            problems.add("volume is missing");
        } else if (volume < 0) {
            problems.add("volume is negative (" + volume + ")");
        }
        if (currency != null && !CURRENCY.matcher(currency).matches()) {
            problems.add("currency '" + currency + "' is not a currency code");
        }
        if (exchangeTimezone == null || exchangeTimezone.isBlank()) {
            problems.add("exchange_timezone is missing");
        } else {
            try {
                zone(exchangeTimezone);
            } catch (DateTimeException e) {
                problems.add("exchange_timezone '" + exchangeTimezone + "' is not a time zone");
            }
        }
        if (problems.isEmpty() && high.compareTo(low) < 0) {
            problems.add("high (" + high.toPlainString() + ") is below low (" + low.toPlainString() + ")");
        }
        if (!problems.isEmpty()) {
            throw new InvalidQuoteException("invalid quote " + (symbol == null ? "?" : symbol)
                    + (timestamp == null ? "" : " at " + timestamp) + ": " + String.join("; ", problems));
        }
        return this;
    }

    private static void price(String name, BigDecimal value, List<String> problems) {
        if (value == null) {
            problems.add(name + " is missing");
        } else if (value.signum() <= 0) {
            problems.add(name + " is not positive (" + (plainLength(value) <= SHORT_TEXT
                    ? Decimals.plain(value).toPlainString() : shortText(value)) + ")");
        } else if (value.compareTo(MAX_PRICE) > 0) { // by exponent first: 1e600000000 is never expanded
            problems.add(name + " is beyond " + MAX_PRICE.toPlainString() + " (" + shortText(value) + ")");
        } else if (Decimals.decimalPlaces(value) > MAX_DECIMAL_PLACES) {
            problems.add(name + " has more than " + MAX_DECIMAL_PLACES + " decimal places (" + shortText(value) + ")");
        } else if (Decimals.significantDigits(value) > MAX_SIGNIFICANT_DIGITS) {
            problems.add(name + " has more than " + MAX_SIGNIFICANT_DIGITS + " significant digits ("
                    + shortText(value) + ")");
        }
    }

    /**
     * A value for a message: plain when short, else in exponent notation (1E+300 is not 301 characters). The plain
     * form's length is known from the digits and the scale before it is written: 1E-400000000 is never expanded.
     */
    private static String shortText(BigDecimal value) {
        return plainLength(value) <= SHORT_TEXT ? value.toPlainString() : value.stripTrailingZeros().toString();
    }

    private static final int SHORT_TEXT = 40;

    /** About how many characters {@link BigDecimal#toPlainString()} writes, computed without writing them. */
    private static long plainLength(BigDecimal value) {
        long digits = value.precision();
        long scale = value.scale();
        return scale <= 0 ? digits - scale : Math.max(digits, scale) + 2;
    }

    /** Digits before the decimal point of a nonzero value, from its precision and scale (no expansion): 1E+19 has 20. */
    private static long integerDigits(BigDecimal value) {
        return (long) value.precision() - value.scale();
    }

    /** The exchange-local calendar date of a market time: the trading day (dt partition, alert de-dup day). */
    public static String tradingDay(String timestamp, String exchangeTimezone) {
        // Every quote asks for its day several times (partition, alert rule, alert key), and the quotes of a zone
        // nearly all fall on one day: the zone's last local day is kept as its span of epoch seconds (the zone's own
        // midnights, so DST days are 23 or 25 hours), and a timestamp inside it costs no date arithmetic.
        long second = canonicalEpochSecond(timestamp);
        if (second == NOT_CANONICAL) {
            return Instant.parse(timestamp).atZone(zone(exchangeTimezone)).toLocalDate().toString();
        }
        LocalDay last = LAST_DAY.get(exchangeTimezone);
        if (last != null && second >= last.start() && second < last.end()) {
            return last.day();
        }
        ZoneId zone = zone(exchangeTimezone);
        java.time.LocalDate date = Instant.ofEpochSecond(second).atZone(zone).toLocalDate();
        LocalDay span = new LocalDay(date.atStartOfDay(zone).toEpochSecond(),
                date.plusDays(1).atStartOfDay(zone).toEpochSecond(), date.toString());
        LAST_DAY.put(exchangeTimezone, span);
        return span.day();
    }

    /** A zone's local day: epoch seconds {@code [start, end)}. */
    private record LocalDay(long start, long end, String day) {
    }

    private static ZoneId zone(String id) {
        return ZONES.computeIfAbsent(id, ZoneId::of);
    }

    /** Valid zone ids only (an invalid one throws and is not kept): a few hundred at most. */
    private static final java.util.concurrent.ConcurrentHashMap<String, ZoneId> ZONES = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per zone id, the local day of its last quote. */
    private static final java.util.concurrent.ConcurrentHashMap<String, LocalDay> LAST_DAY = new java.util.concurrent.ConcurrentHashMap<>();

    /** The contract's attribute map, in contract order. */
    public Map<String, Object> toAttributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("symbol", symbol);
        m.put("timestamp", timestamp);
        m.put("open", Decimals.plain(open));
        m.put("high", Decimals.plain(high));
        m.put("low", Decimals.plain(low));
        m.put("price", Decimals.plain(price));
        m.put("volume", volume);
        m.put("previous_close", Decimals.plain(previousClose));
        m.put("currency", currency);
        m.put("exchange_timezone", exchangeTimezone);
        return m;
    }

    /**
     * Reads a quote from a decoded JSON object (any JSON library's Map). Unknown attributes are ignored;
     * wrong types are reported, never replaced. Numbers are best decoded as BigDecimal/BigInteger (exact); a
     * Double is taken by its shortest decimal form. The result is not validated yet: call {@link #validated()}.
     */
    public static Quote fromAttributes(Map<String, ?> m) {
        if (m == null) {
            throw new InvalidQuoteException("quote is empty (null)");
        }
        List<String> problems = new ArrayList<>();
        String symbol = text(m, "symbol", problems);
        String timestamp = text(m, "timestamp", problems);
        BigDecimal open = decimal(m, "open", problems);
        BigDecimal high = decimal(m, "high", problems);
        BigDecimal low = decimal(m, "low", problems);
        BigDecimal price = decimal(m, "price", problems);
        BigDecimal previousClose = decimal(m, "previous_close", problems);
        Long volume = volume(m.get("volume"), problems);
        String currency = text(m, "currency", problems);
        String exchangeTimezone = text(m, "exchange_timezone", problems);
        if (!problems.isEmpty()) {
            throw new InvalidQuoteException("invalid quote " + (symbol == null ? "?" : symbol) + ": "
                    + String.join("; ", problems));
        }
        return new Quote(symbol, timestamp, open, high, low, price, volume, previousClose, currency,
                exchangeTimezone);
    }

    private static String text(Map<String, ?> m, String name, List<String> problems) {
        Object v = m.get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        problems.add(name + " is not a string (" + describe(v) + ")");
        return null;
    }

    private static BigDecimal decimal(Map<String, ?> m, String name, List<String> problems) {
        Object v = m.get(name);
        if (v == null) {
            return null;
        }
        BigDecimal d = exact(v);
        if (d != null) {
            return d;
        }
        if (v instanceof Double || v instanceof Float) {
            problems.add(name + " is not finite (" + v + ")");
        } else {
            problems.add(name + " is not a number (" + describe(v) + ")");
        }
        return null;
    }

    private static Long volume(Object v, List<String> problems) {
        if (v == null) {
            return null;
        }
        BigDecimal d = exact(v);
        if (d == null) {
            problems.add(v instanceof Double || v instanceof Float ? "volume is not finite (" + v + ")"
                    : "volume is not a number (" + describe(v) + ")");
            return null;
        }
        // Bounds from the digits and the exponent first: setScale or toBigInteger on 1e600000000 overflows, and on
        // 1e400000000 (or 0e-400000000) computes 10^400000000 before any bound is checked.
        if (d.signum() == 0) {
            return 0L;
        }
        if (d.stripTrailingZeros().scale() > 0) {
            problems.add("volume is not a whole number (" + shortText(d) + ")");
            return null;
        }
        if (integerDigits(d) > MAX_VOLUME_DIGITS) {
            problems.add("volume does not fit a 64-bit integer (" + shortText(d) + ")");
            return null;
        }
        BigInteger whole = d.toBigIntegerExact();
        if (whole.compareTo(MAX_VOLUME) > 0 || whole.compareTo(MAX_VOLUME.negate()) < 0) {
            problems.add("volume does not fit a 64-bit integer (" + shortText(d) + ")");
            return null;
        }
        return whole.longValueExact();
    }

    /** The exact decimal of a JSON number, or null when it is not a (finite) number. */
    private static BigDecimal exact(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(Double.toString(d)) : null;
        }
        return null;
    }

    private static String describe(Object v) {
        if (v instanceof String s) {
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof List<?>) {
            return "an array";
        }
        return String.valueOf(v);
    }
}
