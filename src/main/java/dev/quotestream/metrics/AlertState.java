package dev.quotestream.metrics;

/**
 * Alert de-duplication state of one symbol on one trading day, stored in the table beside the quotes.
 *
 * @param inAnomaly     whether the last processed quote was beyond the threshold
 * @param crossings     how many times the threshold was crossed (and alerted) that day
 * @param lastTimestamp market time of the quote that last changed this state; older quotes are replays
 */
public record AlertState(String symbol, String tradingDay, boolean inAnomaly, int crossings,
                         String lastTimestamp) {

    public static AlertState fresh(String symbol, String tradingDay) {
        return new AlertState(symbol, tradingDay, false, 0, null);
    }
}
