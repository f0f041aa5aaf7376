package dev.quotestream.core.metrics;

import java.math.BigDecimal;

/** Quotes for tests: numbers by their decimal text (a double's shortest form), nulls kept. */
public final class TestQuotes {

    private TestQuotes() {
    }

    public static Quote quote(String symbol, String timestamp, Number open, Number high, Number low, Number price,
                              Long volume, Number previousClose, String currency, String exchangeTimezone) {
        return new Quote(symbol, timestamp, d(open), d(high), d(low), d(price), volume, d(previousClose), currency,
                exchangeTimezone);
    }

    /** A US listing: USD, New York. */
    public static Quote quote(String symbol, String timestamp, Number open, Number high, Number low, Number price,
                              Long volume, Number previousClose) {
        return quote(symbol, timestamp, open, high, low, price, volume, previousClose, "USD", "America/New_York");
    }

    /** The number as the contract writes it: its decimal digits, no trailing zeros (261.0 is 261). */
    public static BigDecimal d(Number n) {
        return n == null ? null : Decimals.plain(new BigDecimal(n.toString()));
    }
}
