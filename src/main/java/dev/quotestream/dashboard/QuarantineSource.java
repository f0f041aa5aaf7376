package dev.quotestream.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * Symbols the fetch side is not fetching normally. The dashboard's status strip and {@code /api/status}
 * show them. Bound per build: until the fetch side has a quarantine of its own, {@link FailingSymbols}
 * reports the symbols this process sees failing with final client errors.
 */
public interface QuarantineSource {

    /**
     * @param state   {@code quarantined} (skipped until {@code retryAt}) or {@code failing} (still fetched)
     * @param retryAt when it is tried again, or null
     */
    record QuarantinedSymbol(String symbol, String state, Instant since, String reason, Instant retryAt) {
    }

    List<QuarantinedSymbol> quarantined();
}
