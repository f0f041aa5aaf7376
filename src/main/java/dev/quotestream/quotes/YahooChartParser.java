package dev.quotestream.quotes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.quotestream.core.metrics.InvalidQuoteException;
import dev.quotestream.core.metrics.Quote;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Turns a Yahoo Finance v8 chart response ({@code interval=1m&range=1d}) into one normalized quote, or rejects
 * it with a reason that names the failed check. The guard (docs/data-contract.md, "The response guard"):
 * <ol>
 *   <li><b>request</b>: the answer is for the symbol, granularity ({@code 1m}) and range ({@code 1d}) asked for;</li>
 *   <li><b>time</b>: {@code meta.regularMarketTime} is an integer number of seconds, not before 2000 and not in
 *       the future (milliseconds are named as such);</li>
 *   <li><b>session</b>: only the bars of the session of {@code regularMarketTime} are used: the bars on the same
 *       exchange-local date ({@code meta.exchangeTimezoneName}) inside the regular trading period that contains
 *       it ({@code tradingPeriods}, else {@code currentTradingPeriod.regular}), when Yahoo gives one;</li>
 *   <li><b>numbers</b>: every price is a JSON number and every volume a whole JSON number that fits 64 bits and
 *       is not negative; a string is rejected, never replaced;</li>
 *   <li><b>range</b>: low &lt;= price &lt;= high.</li>
 * </ol>
 * Where {@code meta} carries the day's own figures ({@code regularMarketDayHigh/Low/Volume}) they are used:
 * they describe the session of {@code regularMarketTime} by construction, while the bars may belong to another
 * day. open comes from the session's first bar (meta has no open). Prices keep the digits their float32 holds
 * ({@link #rounded}): 0.00004 stays 0.00004.
 */
public class YahooChartParser {

    public static final String INTERVAL = "1m";
    public static final String RANGE = "1d";
    /** What a double holds honestly, and what the contract allows (docs/data-contract.md §1). */
    private static final MathContext DOUBLE_DIGITS = new MathContext(Quote.MAX_SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN);
    /** regularMarketTime may trail the end of the regular period (the closing auction prints at 16:00:01). */
    private static final long PERIOD_GRACE_SECONDS = 15 * 60;
    /** This machine's clock may lag Yahoo's by a little; a later market time is in the future. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final long EARLIEST = Quote.EARLIEST.getEpochSecond();
    private static final BigInteger LONG_LIMIT = BigInteger.ONE.shiftLeft(63);

    // NaN/Infinity are accepted by the parser so that validation can name them instead of a parse error.
    // One JSON value per body: trailing content ("{...}{...}") is rejected, not silently dropped.
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final Clock clock;

    public YahooChartParser() {
        this(Clock.systemUTC());
    }

    public YahooChartParser(Clock clock) {
        this.clock = clock;
    }

    /**
     * The route binds the body and the symbol by annotation: a {@code parse(${body}, …)} expression would turn a
     * body that reads {@code null} into a Java null.
     */
    public Quote parse(@org.apache.camel.Body String body,
                       @org.apache.camel.ExchangeProperty("symbol") String requestedSymbol) {
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
        if (root == null || root.isNull()) {
            throw new InvalidQuoteException("Yahoo chart response for " + symbol + " is JSON null");
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
        String metaSymbol = meta.path("symbol").isTextual() ? meta.path("symbol").asText() : null;
        if (requestedSymbol != null && metaSymbol != null && !metaSymbol.equalsIgnoreCase(requestedSymbol)) {
            throw new InvalidQuoteException("Yahoo chart response for " + requestedSymbol
                    + " describes another symbol: " + metaSymbol);
        }
        if (metaSymbol != null) {
            symbol = metaSymbol;
        }
        Check check = new Check(symbol);

        // request: what was asked for
        String granularity = meta.path("dataGranularity").asText(null);
        String range = meta.path("range").asText(null);
        if (!INTERVAL.equals(granularity)) {
            throw check.fail("request", "dataGranularity is " + quoted(granularity) + ", requested " + INTERVAL);
        }
        if (!RANGE.equals(range)) {
            throw check.fail("request", "range is " + quoted(range) + ", requested " + RANGE);
        }

        // time
        long marketTime = marketTime(meta.path("regularMarketTime"), check);
        String zoneName = meta.path("exchangeTimezoneName").asText(null);
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneName == null ? "" : zoneName);
        } catch (DateTimeException e) {
            throw check.fail("session", "meta.exchangeTimezoneName " + quoted(zoneName) + " is not a time zone");
        }
        String currency = meta.path("currency").isTextual() ? meta.path("currency").asText() : null;

        // numbers from meta
        Double price = metaNumber(meta, "regularMarketPrice", check);
        if (price == null) {
            throw check.fail("numbers", "meta.regularMarketPrice is missing");
        }
        Double previousClose = metaNumber(meta, "previousClose", check);
        if (previousClose == null) {
            previousClose = metaNumber(meta, "chartPreviousClose", check);
        }
        Double dayHigh = metaNumber(meta, "regularMarketDayHigh", check);
        Double dayLow = metaNumber(meta, "regularMarketDayLow", check);
        Long dayVolume = wholeNumber(meta.path("regularMarketVolume"), "meta.regularMarketVolume", check);

        // session: the bars of regularMarketTime's session only
        LocalDate day = Instant.ofEpochSecond(marketTime).atZone(zone).toLocalDate();
        long sessionStart = day.atStartOfDay(zone).toEpochSecond();
        long sessionEnd = day.plusDays(1).atStartOfDay(zone).toEpochSecond() - 1;
        long[] period = regularPeriod(meta, marketTime);
        if (period != null) {
            sessionStart = Math.max(sessionStart, period[0]);
            sessionEnd = Math.min(sessionEnd, period[1]);
        }
        JsonNode timestamps = first.path("timestamp");
        JsonNode bars = first.path("indicators").path("quote").path(0);
        int count = timestamps.isArray() ? timestamps.size() : 0;
        Double open = null;
        Double barHigh = null;
        Double barLow = null;
        long barVolume = 0;
        int usableBars = 0;
        int sessionBars = 0;
        for (int i = 0; i < count; i++) {
            Double o = number(bars.path("open").path(i), "bar " + i + " open", check);
            Double h = number(bars.path("high").path(i), "bar " + i + " high", check);
            Double l = number(bars.path("low").path(i), "bar " + i + " low", check);
            Double c = number(bars.path("close").path(i), "bar " + i + " close", check);
            Long v = wholeNumber(bars.path("volume").path(i), "bar " + i + " volume", check);
            if (o == null && h == null && l == null && c == null) {
                continue; // a bar with no trade: Yahoo sends nulls
            }
            usableBars++;
            if (h != null && l != null && h < l) {
                throw check.fail("numbers", "bar " + i + " high " + h + " is below its low " + l);
            }
            JsonNode t = timestamps.path(i);
            if (!t.canConvertToLong() || !t.isIntegralNumber()) {
                throw check.fail("time", "bar " + i + " timestamp " + t + " is not whole seconds");
            }
            long barTime = t.asLong();
            if (barTime < sessionStart || barTime > sessionEnd) {
                continue; // another day's (or another session's) bar
            }
            sessionBars++;
            if (open == null && o != null) {
                open = o;
            }
            if (h != null) {
                barHigh = barHigh == null ? h : Math.max(barHigh, h);
            }
            if (l != null) {
                barLow = barLow == null ? l : Math.min(barLow, l);
            }
            if (v != null) {
                try {
                    barVolume = Math.addExact(barVolume, v);
                } catch (ArithmeticException overflow) {
                    throw check.fail("numbers", "the bars' volumes add up beyond 64 bits");
                }
            }
        }
        if (usableBars == 0) {
            throw new InvalidQuoteException("Yahoo chart response for " + symbol
                    + " has no price bars (empty or all-null indicators)");
        }
        if (sessionBars == 0 || open == null) {
            throw check.fail("session", "none of the " + usableBars + " bars is from the session of "
                    + "regularMarketTime " + Instant.ofEpochSecond(marketTime) + " (" + day + " " + zone + ")");
        }

        // meta's day figures when Yahoo gives them, else the session's bars with the last price included
        boolean fromMeta = dayHigh != null && dayLow != null;
        // A bad price is not folded into the range: validation names it instead.
        boolean goodPrice = Double.isFinite(price) && price > 0;
        Double high = fromMeta ? dayHigh : barHigh == null ? price : goodPrice ? Math.max(barHigh, price) : barHigh;
        Double low = fromMeta ? dayLow : barLow == null ? price : goodPrice ? Math.min(barLow, price) : barLow;
        long volume = dayVolume != null ? dayVolume : barVolume;

        String timestamp = Quote.isoTimestamp(Instant.ofEpochSecond(marketTime));
        java.util.List<String> notFinite = new java.util.ArrayList<>();
        finite("open", open, notFinite);
        finite("high", high, notFinite);
        finite("low", low, notFinite);
        finite("price", price, notFinite);
        finite("previous_close", previousClose, notFinite);
        if (!notFinite.isEmpty()) {
            throw new InvalidQuoteException("invalid quote " + symbol + " at " + timestamp + ": "
                    + String.join("; ", notFinite));
        }
        Quote quote = new Quote(symbol, timestamp,
                rounded(open), rounded(high), rounded(low), rounded(price), volume, rounded(previousClose),
                currency, zone.getId()).validated();
        if (quote.price().compareTo(quote.low()) < 0 || quote.price().compareTo(quote.high()) > 0) {
            throw check.fail("range", "price " + quote.price().toPlainString() + " is outside the session's range ["
                    + quote.low().toPlainString() + ", " + quote.high().toPlainString() + "]");
        }
        if (quote.open().compareTo(quote.low()) < 0 || quote.open().compareTo(quote.high()) > 0) {
            throw check.fail("range", "open " + quote.open().toPlainString() + " (first bar of the session) is outside the "
                    + "session's range [" + quote.low().toPlainString() + ", " + quote.high().toPlainString() + "]");
        }
        return quote;
    }

    /** Names the failed guard check in the reason: "fails the 'session' check: …". */
    private record Check(String symbol) {
        InvalidQuoteException fail(String check, String detail) {
            return new InvalidQuoteException("Yahoo chart response for " + symbol + " fails the '" + check
                    + "' check: " + detail);
        }
    }

    private long marketTime(JsonNode node, Check check) {
        if (node.isMissingNode() || node.isNull()) {
            throw check.fail("time", "meta.regularMarketTime is missing");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw check.fail("time", "meta.regularMarketTime " + node + " is not a whole number of seconds");
        }
        long seconds = node.asLong();
        Instant now = clock.instant();
        if (seconds > 100_000_000_000L) {
            throw check.fail("time", "meta.regularMarketTime " + seconds + " is in milliseconds, not seconds");
        }
        if (seconds < EARLIEST) {
            throw check.fail("time", "meta.regularMarketTime " + Instant.ofEpochSecond(seconds) + " is before 2000");
        }
        if (Instant.ofEpochSecond(seconds).isAfter(now.plus(CLOCK_SKEW))) {
            throw check.fail("time", "meta.regularMarketTime " + Instant.ofEpochSecond(seconds)
                    + " is in the future (now " + now + ")");
        }
        return seconds;
    }

    /** The regular trading period [start, end] around {@code time}, from Yahoo's periods; null if none says. */
    private static long[] regularPeriod(JsonNode meta, long time) {
        JsonNode periods = meta.path("tradingPeriods");
        if (periods.isArray()) {
            for (JsonNode group : periods) {
                for (JsonNode p : group.isArray() ? group : periods) {
                    long[] window = window(p, time);
                    if (window != null) {
                        return window;
                    }
                }
            }
        }
        return window(meta.path("currentTradingPeriod").path("regular"), time);
    }

    private static long[] window(JsonNode period, long time) {
        JsonNode start = period.path("start");
        JsonNode end = period.path("end");
        if (!start.isIntegralNumber() || !end.isIntegralNumber() || end.asLong() <= start.asLong()) {
            return null;
        }
        return time >= start.asLong() && time <= end.asLong() + PERIOD_GRACE_SECONDS
                ? new long[] {start.asLong(), end.asLong()} : null;
    }

    private static String describeError(JsonNode error) {
        String code = error.path("code").asText("");
        String description = error.path("description").asText("");
        String text = (code + ": " + description).trim();
        return text.equals(":") ? error.toString() : text;
    }

    private static Double metaNumber(JsonNode meta, String field, Check check) {
        return number(meta.path(field), "meta." + field, check);
    }

    /** A JSON number (NaN/Infinity included: validation names them), null when absent; anything else fails. */
    private static Double number(JsonNode node, String name, Check check) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw check.fail("numbers", name + " is not a number (" + node + ")");
        }
        return node.asDouble();
    }

    /** A whole, non-negative JSON number that fits a signed 64-bit integer; null when absent. */
    private static Long wholeNumber(JsonNode node, String name, Check check) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw check.fail("numbers", name + " is not a number (" + node + ")");
        }
        BigInteger value;
        if (node.isIntegralNumber()) {
            value = node.bigIntegerValue();
        } else {
            double d = node.asDouble();
            if (!Double.isFinite(d) || d != Math.rint(d)) {
                throw check.fail("numbers", name + " is not a whole number (" + node + ")");
            }
            value = BigDecimal.valueOf(d).toBigIntegerExact();
        }
        if (value.signum() < 0) {
            throw check.fail("numbers", name + " is negative (" + value + ")");
        }
        if (value.compareTo(LONG_LIMIT) >= 0) {
            throw check.fail("numbers", name + " " + value + " does not fit a 64-bit integer");
        }
        return value.longValue();
    }

    private static String quoted(String text) {
        return text == null ? "missing" : "'" + text + "'";
    }

    private static void finite(String name, Double value, java.util.List<String> problems) {
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
    static BigDecimal rounded(Double value) {
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
