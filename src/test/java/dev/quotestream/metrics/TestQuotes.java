package dev.quotestream.metrics;

import java.math.BigDecimal;

/** Quotes for tests: numbers by their decimal text (a double's shortest form), nulls kept. */
public final class TestQuotes {

    private TestQuotes() {
    }

    public static Quote quote(String symbol, String timestamp, Number open, Number high, Number low, Number price,
                              Long volume, Number previousClose) {
        return new Quote(symbol, timestamp, d(open), d(high), d(low), d(price), volume, d(previousClose));
    }

    public static BigDecimal d(Number n) {
        return n == null ? null : new BigDecimal(n.toString());
    }
}
