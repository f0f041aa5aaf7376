package dev.quotestream.core;

import dev.quotestream.core.metrics.AlertMessage;
import dev.quotestream.core.metrics.AlertRule;
import dev.quotestream.core.metrics.AlertState;
import dev.quotestream.core.metrics.ProcessedQuote;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies {@link AlertRule} against the stored state, through the outbox: a new crossing's alert is written as
 * pending together with the state flip (one conditional write), then published, then marked sent. Whenever a
 * symbol's state is loaded (a new quote, a replayed one), its pending alerts come back to be published again: a
 * failed send, a stop or a crash between the write and the send loses no alert.
 */
public final class AlertGate {

    private static final int MAX_ATTEMPTS = 5;

    private final AlertOutbox outbox;
    private final BigDecimal thresholdPercent;

    public AlertGate(AlertOutbox outbox, BigDecimal thresholdPercent) {
        this.outbox = outbox;
        this.thresholdPercent = thresholdPercent;
    }

    /** @return the alerts to publish now: every pending alert of the quote's symbol and day, a new one included */
    public List<PendingAlert> evaluate(ProcessedQuote quote) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            AlertState stored = outbox.load(quote.symbol(), quote.tradingDay());
            AlertRule.Decision decision = AlertRule.evaluate(stored, quote);
            PendingAlert created = decision.alert()
                    ? PendingAlert.of(AlertMessage.of(quote, thresholdPercent, decision.next().crossings())) : null;
            if (!decision.store() || outbox.replace(stored, decision.next(), created)) {
                List<PendingAlert> toPublish = new ArrayList<>();
                if (stored != null) {
                    for (Map.Entry<Integer, String> pending : stored.pending().entrySet()) {
                        toPublish.add(new PendingAlert(stored.symbol(), stored.tradingDay(), pending.getKey(),
                                pending.getValue()));
                    }
                }
                if (created != null) {
                    toPublish.add(created);
                }
                return toPublish;
            }
        }
        throw new IllegalStateException("alert state of " + quote.symbol() + " on " + quote.tradingDay()
                + " kept changing under concurrent writers; gave up after " + MAX_ATTEMPTS + " attempts");
    }
}
