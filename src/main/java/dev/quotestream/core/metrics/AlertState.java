package dev.quotestream.core.metrics;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Alert de-duplication state of one symbol on one trading day, stored in the table beside the quotes, with its
 * outbox: the alerts decided but not yet published (docs/data-contract.md §3).
 *
 * @param inAnomaly     whether the last processed quote was beyond the threshold
 * @param crossings     how many times the threshold was crossed (and alerted) that day
 * @param lastTimestamp market time of the quote that last changed this state; older quotes are replays
 * @param pending       crossing number to the alert message (JSON) still to publish: written with the state flip
 *                      that decided it, removed once published
 */
public record AlertState(String symbol, String tradingDay, boolean inAnomaly, int crossings,
                         String lastTimestamp, SortedMap<Integer, String> pending) {

    public AlertState {
        pending = Collections.unmodifiableSortedMap(new TreeMap<>(pending == null ? new TreeMap<>() : pending));
    }

    public AlertState(String symbol, String tradingDay, boolean inAnomaly, int crossings, String lastTimestamp) {
        this(symbol, tradingDay, inAnomaly, crossings, lastTimestamp, null);
    }

    public static AlertState fresh(String symbol, String tradingDay) {
        return new AlertState(symbol, tradingDay, false, 0, null);
    }

    /** The same state with these pending alerts. */
    public AlertState withPending(SortedMap<Integer, String> alerts) {
        return new AlertState(symbol, tradingDay, inAnomaly, crossings, lastTimestamp, alerts);
    }
}
