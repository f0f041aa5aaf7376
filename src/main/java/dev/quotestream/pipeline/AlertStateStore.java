package dev.quotestream.pipeline;

import dev.quotestream.metrics.AlertState;

/** Where alert de-duplication state lives: the table of the active binding. */
public interface AlertStateStore {

    /** The state of {@code symbol} on {@code tradingDay}, or null if none was stored. */
    AlertState load(String symbol, String tradingDay);

    /**
     * Stores {@code next} only if the stored state still is {@code expected} (null: nothing stored).
     *
     * @return false if another writer got there first
     */
    boolean replace(AlertState expected, AlertState next);
}
