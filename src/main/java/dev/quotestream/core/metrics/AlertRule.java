package dev.quotestream.core.metrics;

/**
 * One alert per symbol per threshold crossing per trading day. A crossing is a move from within the
 * threshold to beyond it; staying beyond it does not alert again, coming back and crossing again does.
 * Quotes at or before the state's last timestamp are replays (restart, redelivery) and change nothing.
 */
public final class AlertRule {

    private AlertRule() {
    }

    /** The outcome: the state to store (when {@code store}) and whether to publish an alert. */
    public record Decision(AlertState next, boolean store, boolean alert) {
    }

    /**
     * @param current the stored state for the quote's symbol and trading day, or null if none
     */
    public static Decision evaluate(AlertState current, ProcessedQuote quote) {
        String day = quote.tradingDay();
        AlertState state = current != null && current.tradingDay().equals(day)
                ? current : AlertState.fresh(quote.symbol(), day);
        if (state.lastTimestamp() != null && quote.timestamp().compareTo(state.lastTimestamp()) <= 0) {
            return new Decision(state, false, false);
        }
        if (quote.anomaly() && !state.inAnomaly()) {
            return new Decision(new AlertState(quote.symbol(), day, true, state.crossings() + 1,
                    quote.timestamp()), true, true);
        }
        if (!quote.anomaly() && state.inAnomaly()) {
            return new Decision(new AlertState(quote.symbol(), day, false, state.crossings(),
                    quote.timestamp()), true, false);
        }
        // Nothing changed: skip the write, which halves table traffic in steady state.
        return new Decision(state, false, false);
    }
}
