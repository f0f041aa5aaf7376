package dev.quotestream.core.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The shared metrics bean. Plain Java on purpose: the Lambda compiles this same source, so it must not
 * import Camel, the AWS SDK or a JSON library.
 */
public final class QuoteMetrics {

    /** Decimal places of change_percent, the one metric that is rounded (a division by previous_close). */
    public static final int SCALE = 4;
    /** Banker's rounding: no drift when many rounded values are averaged later. */
    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;
    public static final BigDecimal DEFAULT_ANOMALY_THRESHOLD_PERCENT = new BigDecimal("5");

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal FOUR = BigDecimal.valueOf(4);

    private final BigDecimal anomalyThresholdPercent;

    public QuoteMetrics() {
        this(DEFAULT_ANOMALY_THRESHOLD_PERCENT);
    }

    public QuoteMetrics(BigDecimal anomalyThresholdPercent) {
        if (anomalyThresholdPercent == null || anomalyThresholdPercent.signum() <= 0) {
            throw new IllegalArgumentException("anomaly threshold must be a positive percentage, was "
                    + anomalyThresholdPercent);
        }
        this.anomalyThresholdPercent = anomalyThresholdPercent;
    }

    public BigDecimal anomalyThresholdPercent() {
        return anomalyThresholdPercent;
    }

    /**
     * change = price - previous_close; change_percent = change / previous_close * 100, rounded to {@link #SCALE}
     * decimals (HALF_EVEN); moving_avg = (open + high + low + price) / 4, an OHLC average kept under the original
     * design's name; anomaly = |change_percent| &gt; threshold. Prices are kept as given, and change and
     * moving_avg are exact (a division by 4 always ends), so every metric can be recomputed from the stored values.
     *
     * @throws InvalidQuoteException when an input is missing, out of its range, or inconsistent
     */
    public ProcessedQuote process(Quote quote) {
        if (quote == null) {
            throw new InvalidQuoteException("quote is empty (null)");
        }
        quote.validated();
        BigDecimal open = Decimals.plain(quote.open());
        BigDecimal high = Decimals.plain(quote.high());
        BigDecimal low = Decimals.plain(quote.low());
        BigDecimal price = Decimals.plain(quote.price());
        BigDecimal previousClose = Decimals.plain(quote.previousClose());
        BigDecimal change = Decimals.plain(price.subtract(previousClose));
        BigDecimal changePercent = change.multiply(HUNDRED).divide(previousClose, SCALE, ROUNDING);
        BigDecimal movingAvg = Decimals.plain(open.add(high).add(low).add(price).divide(FOUR));
        boolean anomaly = changePercent.abs().compareTo(anomalyThresholdPercent) > 0;
        return new ProcessedQuote(quote.symbol(), quote.timestamp(), open, high, low, price, quote.volume(),
                previousClose, change, Decimals.plain(changePercent), movingAvg, anomaly, quote.currency(),
                quote.exchangeTimezone());
    }
}
