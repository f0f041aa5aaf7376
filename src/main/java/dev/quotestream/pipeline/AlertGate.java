package dev.quotestream.pipeline;

import dev.quotestream.metrics.AlertMessage;
import dev.quotestream.metrics.AlertRule;
import dev.quotestream.metrics.AlertState;
import dev.quotestream.metrics.ProcessedQuote;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Applies {@link AlertRule} against the stored state. The state is written before the alert is sent:
 * a failed send is dead-lettered with the alert, never re-sent as a duplicate.
 */
public class AlertGate {

    private static final int MAX_ATTEMPTS = 5;

    private final AlertStateStore store;
    private final BigDecimal thresholdPercent;

    public AlertGate(AlertStateStore store, BigDecimal thresholdPercent) {
        this.store = store;
        this.thresholdPercent = thresholdPercent;
    }

    /** @return the alert message attributes, or null when this quote must not alert */
    public Map<String, Object> evaluate(ProcessedQuote quote) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            AlertState stored = store.load(quote.symbol(), quote.tradingDay());
            AlertRule.Decision decision = AlertRule.evaluate(stored, quote);
            if (!decision.store() || store.replace(stored, decision.next())) {
                return decision.alert()
                        ? AlertMessage.of(quote, thresholdPercent, decision.next().crossings()).toAttributes()
                        : null;
            }
        }
        throw new IllegalStateException("alert state of " + quote.symbol() + " on " + quote.tradingDay()
                + " kept changing under concurrent writers; gave up after " + MAX_ATTEMPTS + " attempts");
    }
}
