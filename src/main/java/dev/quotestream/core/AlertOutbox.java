package dev.quotestream.core;

import dev.quotestream.core.metrics.AlertState;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the alert state and its outbox live: the table of the active binding (DynamoDB item
 * {@code ALERT#<symbol>}/trading day, or SQLite). The state flip and the alert it decides are written together,
 * in one conditional write, so that an alert can be neither lost (state written, alert forgotten) nor doubled.
 */
public interface AlertOutbox {

    /** The state of {@code symbol} on {@code tradingDay} with its pending alerts, or null if none was stored. */
    AlertState load(String symbol, String tradingDay);

    /** One symbol on one trading day: the key of one alert state. */
    record SymbolDay(String symbol, String tradingDay) {
        /** {@code SYMBOL|trading day}, as {@link Change#key()}. */
        public String key() {
            return symbol + "|" + tradingDay;
        }
    }

    /**
     * The stored states of these symbol-days, each read afresh (strongly consistent), with their pending alerts:
     * empty for a symbol-day with nothing stored. A symbol-day the store could not read (DynamoDB left it
     * unprocessed) is missing from the answer. By default one {@link #load} each; a store may read them in fewer
     * calls (DynamoDB: BatchGetItem, 100 keys per call).
     */
    default Map<SymbolDay, Optional<AlertState>> loadAll(Collection<SymbolDay> symbolDays) {
        Map<SymbolDay, Optional<AlertState>> out = new LinkedHashMap<>();
        for (SymbolDay day : symbolDays) {
            out.put(day, Optional.ofNullable(load(day.symbol(), day.tradingDay())));
        }
        return out;
    }

    /**
     * Forgets what is known in memory of these symbol-days and reads them afresh ({@link #loadAll}), for the next
     * {@link #load}s: the Lambda's batch, whose shard may have been processed by another container since this one
     * last saw it. A store without a memory has nothing to do: each load reads it.
     */
    default void reload(Collection<SymbolDay> symbolDays) {
    }

    /**
     * Stores {@code next} only if the stored state still is {@code expected} (null: nothing stored), and, in the
     * same write, adds {@code alerts} (in crossing order) to the pending alerts. Other pending alerts are kept.
     *
     * @return false if another writer got there first
     */
    boolean replace(AlertState expected, AlertState next, List<PendingAlert> alerts);

    /** {@link #replace(AlertState, AlertState, List)} with one alert, or none (null). */
    default boolean replace(AlertState expected, AlertState next, PendingAlert alert) {
        return replace(expected, next, alert == null ? List.of() : List.of(alert));
    }

    /**
     * One symbol-day's state change over a batch: from {@code expected} (null: nothing stored) to {@code next}, with
     * the alerts of the crossings on the way (in crossing order).
     */
    record Change(AlertState expected, AlertState next, List<PendingAlert> alerts) {
        public String key() {
            return next.symbol() + "|" + next.tradingDay();
        }
    }

    /**
     * Each change as its own conditional write (a store may put them in one transaction: each still succeeds or
     * conflicts on its own).
     *
     * @return the keys ({@link Change#key()}) of the changes another writer got to first: read again, then decide
     */
    default java.util.Set<String> replaceAll(List<Change> changes) {
        java.util.Set<String> conflicts = new java.util.LinkedHashSet<>();
        for (Change change : changes) {
            if (!replace(change.expected(), change.next(), change.alerts())) {
                conflicts.add(change.key());
            }
        }
        return conflicts;
    }

    /**
     * Removes pending alerts once they are published (or dead-lettered): one write per symbol-day, however many of
     * its alerts. Idempotent.
     */
    void markSent(List<PendingAlert> alerts);

    /** {@link #markSent(List)} of one alert. */
    default void markSent(PendingAlert alert) {
        markSent(List.of(alert));
    }

    /** Pending alerts of these symbols on trading days {@code fromDay..toDay} (inclusive; Query, never Scan). */
    List<PendingAlert> pending(Collection<String> symbols, String fromDay, String toDay);
}
