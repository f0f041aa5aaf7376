package dev.quotestream.core;

import dev.quotestream.core.metrics.AlertState;

import java.util.Collection;
import java.util.List;

/**
 * Where the alert state and its outbox live: the table of the active binding (DynamoDB item
 * {@code ALERT#<symbol>}/trading day, or SQLite). The state flip and the alert it decides are written together,
 * in one conditional write, so that an alert can be neither lost (state written, alert forgotten) nor doubled.
 */
public interface AlertOutbox {

    /** The state of {@code symbol} on {@code tradingDay} with its pending alerts, or null if none was stored. */
    AlertState load(String symbol, String tradingDay);

    /**
     * Stores {@code next} only if the stored state still is {@code expected} (null: nothing stored), and, in the
     * same write, adds {@code alert} (when not null) to the pending alerts. Other pending alerts are kept.
     *
     * @return false if another writer got there first
     */
    boolean replace(AlertState expected, AlertState next, PendingAlert alert);

    /** Removes a pending alert once it is published (or dead-lettered). Idempotent. */
    void markSent(PendingAlert alert);

    /** Pending alerts of these symbols on trading days {@code fromDay..toDay} (inclusive; Query, never Scan). */
    List<PendingAlert> pending(Collection<String> symbols, String fromDay, String toDay);
}
