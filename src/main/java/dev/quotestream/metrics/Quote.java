package dev.quotestream.metrics;

import java.time.DateTimeException;
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
 *
 * @param currency         the price currency as Yahoo names it (USD, GBp = pence, ILA = agorot), or null when
 *                         Yahoo gives none
 * @param exchangeTimezone the exchange's IANA time zone ({@code meta.exchangeTimezoneName}): it defines the
 *                         trading day
 */
public record Quote(String symbol, String timestamp, Double open, Double high, Double low,
                    Double price, Long volume, Double previousClose, String currency, String exchangeTimezone) {

    /** Ticker symbols as Yahoo spells them: BRK-B, ^GSPC, EURUSD=X, 7203.T. */
    public static final Pattern SYMBOL = Pattern.compile("[A-Z0-9^][A-Z0-9.\\-=^]{0,19}");
    /** ISO 4217 letters, case kept: Yahoo writes minor units in lower case (GBp, ZAc). */
    public static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
    /** No market data before this (2000-01-01T00:00:00Z): an earlier time is a unit or parsing error. */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** A market time may lead this machine's clock by at most this much (clock skew, time zones). */
    public static final java.time.Duration MAX_LEAD = java.time.Duration.ofDays(1);
    /** Prices above this are not market prices (DynamoDB's N holds up to 38 digits; see the data contract). */
    public static final double MAX_PRICE = 1e15;

    public static final List<String> ATTRIBUTES = List.of("symbol", "timestamp", "open", "high", "low", "price",
            "volume", "previous_close", "currency", "exchange_timezone");

    /** Market time as the contract writes it: UTC, whole seconds, trailing Z. */
    public static String isoTimestamp(Instant marketTime) {
        return marketTime.truncatedTo(ChronoUnit.SECONDS).toString();
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
                Instant parsed = Instant.parse(timestamp);
                if (!isoTimestamp(parsed).equals(timestamp)) {
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
        positive("open", open, problems);
        positive("high", high, problems);
        positive("low", low, problems);
        positive("price", price, problems);
        positive("previous_close", previousClose, problems);
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
                ZoneId.of(exchangeTimezone);
            } catch (DateTimeException e) {
                problems.add("exchange_timezone '" + exchangeTimezone + "' is not a time zone");
            }
        }
        if (problems.isEmpty() && high < low) {
            problems.add("high (" + high + ") is below low (" + low + ")");
        }
        if (!problems.isEmpty()) {
            throw new InvalidQuoteException("invalid quote " + (symbol == null ? "?" : symbol)
                    + (timestamp == null ? "" : " at " + timestamp) + ": " + String.join("; ", problems));
        }
        return this;
    }

    private static void positive(String name, Double value, List<String> problems) {
        if (value == null) {
            problems.add(name + " is missing");
        } else if (value.isNaN() || value.isInfinite()) {
            problems.add(name + " is not finite (" + value + ")");
        } else if (value <= 0) {
            problems.add(name + " is not positive (" + value + ")");
        } else if (value > MAX_PRICE) {
            problems.add(name + " is beyond " + MAX_PRICE + " (" + value + ")");
        }
    }

    /** The exchange-local calendar date of a market time: the trading day (dt partition, alert de-dup day). */
    public static String tradingDay(String timestamp, String exchangeTimezone) {
        return Instant.parse(timestamp).atZone(ZoneId.of(exchangeTimezone)).toLocalDate().toString();
    }

    /** The contract's attribute map, in contract order. */
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
        m.put("currency", currency);
        m.put("exchange_timezone", exchangeTimezone);
        return m;
    }

    /**
     * Reads a quote from a decoded JSON object (any JSON library's Map). Unknown attributes are ignored;
     * wrong types are reported. The result is not validated yet: call {@link #validated()}.
     */
    public static Quote fromAttributes(Map<String, ?> m) {
        if (m == null) {
            throw new InvalidQuoteException("quote is empty (null)");
        }
        List<String> problems = new ArrayList<>();
        String symbol = text(m, "symbol", problems);
        String timestamp = text(m, "timestamp", problems);
        Double open = decimal(m, "open", problems);
        Double high = decimal(m, "high", problems);
        Double low = decimal(m, "low", problems);
        Double price = decimal(m, "price", problems);
        Double previousClose = decimal(m, "previous_close", problems);
        String currency = text(m, "currency", problems);
        String exchangeTimezone = text(m, "exchange_timezone", problems);
        Long volume = null;
        Object v = m.get("volume");
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (n instanceof java.math.BigInteger big && big.bitLength() >= 64) {
                problems.add("volume does not fit a 64-bit integer (" + v + ")");
            } else if (!Double.isFinite(d) || d != Math.rint(d)) {
                problems.add("volume is not a whole number (" + v + ")");
            } else if (!(n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                    || n instanceof java.math.BigInteger) && Math.abs(d) >= 0x1p63) {
                problems.add("volume does not fit a 64-bit integer (" + v + ")");
            } else {
                volume = n.longValue();
            }
        } else if (v != null) {
            problems.add("volume is not a number (" + describe(v) + ")");
        }
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

    private static Double decimal(Map<String, ?> m, String name, List<String> problems) {
        Object v = m.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        problems.add(name + " is not a number (" + describe(v) + ")");
        return null;
    }

    private static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }
}
