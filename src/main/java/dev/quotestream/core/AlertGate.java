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

    /**
     * Reads the alert state of these quotes' symbol-days afresh, all at once, replacing what memory holds of them
     * ({@link AlertOutbox#reload}); their pending alerts come back with it, to be published by the next evaluation.
     * The Lambda does this at the start of each batch: another container may have processed the shard's previous
     * batch and changed the state (the rule writes only on a flip, so a stale "beyond" would miss the next crossing).
     */
    public void reload(java.util.Collection<ProcessedQuote> quotes) {
        java.util.Set<AlertOutbox.SymbolDay> days = new java.util.LinkedHashSet<>();
        quotes.forEach(q -> days.add(new AlertOutbox.SymbolDay(q.symbol(), q.tradingDay())));
        outbox.reload(days);
    }

    /**
     * One quote: {@link #evaluateAll} of a batch of one.
     *
     * @return the alerts to publish now: every pending alert of the quote's symbol and day, a new one included
     */
    public List<PendingAlert> evaluate(ProcessedQuote quote) {
        return evaluateAll(List.of(quote));
    }

    /**
     * The rule for a batch of quotes, in stream order per symbol and day, with one conditional write per
     * symbol-day that changed (its final state and every alert of its crossings), all handed to the outbox at once
     * ({@link AlertOutbox#replaceAll}). A conflict means another writer changed that symbol-day: its quotes are
     * decided again against the state read afresh. Evaluating a batch again (a retry after a failure) is harmless:
     * quotes at or before a state's last timestamp are replays and change nothing.
     *
     * @return the alerts to publish now, each once: every pending alert of the symbol-days seen, the new ones included
     */
    public List<PendingAlert> evaluateAll(List<ProcessedQuote> quotes) {
        Map<String, List<ProcessedQuote>> bySymbolDay = new java.util.LinkedHashMap<>();
        for (ProcessedQuote quote : quotes) {
            bySymbolDay.computeIfAbsent(quote.symbol() + "|" + quote.tradingDay(), k -> new ArrayList<>()).add(quote);
        }
        Map<String, List<PendingAlert>> decided = new java.util.LinkedHashMap<>();
        bySymbolDay.keySet().forEach(k -> decided.put(k, null));
        java.util.Collection<String> open = new ArrayList<>(bySymbolDay.keySet());
        for (int attempt = 1; attempt <= MAX_ATTEMPTS && !open.isEmpty(); attempt++) {
            List<AlertOutbox.Change> changes = new ArrayList<>();
            Map<String, List<PendingAlert>> found = new java.util.HashMap<>();
            for (String key : open) {
                List<ProcessedQuote> mine = bySymbolDay.get(key);
                ProcessedQuote first = mine.get(0);
                AlertState stored = outbox.load(first.symbol(), first.tradingDay());
                AlertState current = stored;
                boolean changed = false;
                List<PendingAlert> created = new ArrayList<>();
                for (ProcessedQuote quote : mine) {
                    AlertRule.Decision decision = AlertRule.evaluate(current, quote);
                    if (decision.alert()) {
                        created.add(PendingAlert.of(AlertMessage.of(quote, thresholdPercent, decision.next().crossings())));
                    }
                    if (decision.store()) {
                        current = decision.next();
                        changed = true;
                    }
                }
                if (changed) {
                    changes.add(new AlertOutbox.Change(stored, current, created));
                }
                List<PendingAlert> toPublish = new ArrayList<>();
                if (stored != null) {
                    stored.pending().forEach((crossing, json) ->
                            toPublish.add(new PendingAlert(stored.symbol(), stored.tradingDay(), crossing, json)));
                }
                toPublish.addAll(created);
                found.put(key, toPublish);
            }
            java.util.Set<String> conflicts = changes.isEmpty() ? java.util.Set.of() : outbox.replaceAll(changes);
            for (String key : open) {
                if (!conflicts.contains(key)) {
                    decided.put(key, found.get(key));
                }
            }
            open = new ArrayList<>(conflicts);
        }
        if (!open.isEmpty()) {
            throw new IllegalStateException("alert state of " + open + " kept changing under concurrent writers; gave up"
                    + " after " + MAX_ATTEMPTS + " attempts");
        }
        Map<String, PendingAlert> out = new java.util.LinkedHashMap<>();
        decided.values().forEach(alerts -> alerts.forEach(a -> out.putIfAbsent(a.key(), a)));
        return new ArrayList<>(out.values());
    }
}
