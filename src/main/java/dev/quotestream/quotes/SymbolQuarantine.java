package dev.quotestream.quotes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Symbols that keep failing for a reason only the symbol can fix (Yahoo answers 404/400/401/403, or the
 * answer fails the response guard) are skipped with a growing backoff (initial, doubled per failed retry, up
 * to the ceiling) and retried after it. Only state changes are dead-lettered and logged: entering quarantine,
 * a changed reason, recovery. Plain Java, bound as {@code symbolQuarantine}: {@link #quarantined()} is what a
 * health or metrics page shows.
 */
public class SymbolQuarantine {

    private static final Logger LOG = LoggerFactory.getLogger("quote-fetch");

    /** One quarantined symbol, as a health page shows it. */
    public record Entry(String symbol, Instant since, Instant nextRetry, String reason, int failures) {

        /** The reason without its numbers: "the same reason" survives a new market time or bar count. */
        String kind() {
            return reason.replaceAll("\\d", "#");
        }
    }

    private final Clock clock;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public SymbolQuarantine(Clock clock, Duration initialBackoff, Duration maxBackoff) {
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("quarantine backoff: initial " + initialBackoff + " must be <= ceiling "
                    + maxBackoff);
        }
        this.clock = clock;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** True while the symbol waits out its backoff: no request is made. */
    public boolean skip(String symbol) {
        Entry e = entries.get(symbol);
        return e != null && clock.instant().isBefore(e.nextRetry());
    }

    /** {@link #failed(String, String)} with the failure's message (HTTP failures: status and Yahoo's text). */
    public boolean failed(String symbol, Throwable failure) {
        org.apache.camel.http.base.HttpOperationFailedException http =
                dev.quotestream.pipeline.HttpFailures.find(failure);
        String reason = http != null
                ? "HTTP " + http.getStatusCode() + " " + YahooErrorText.of(http.getResponseBody())
                : failure == null ? "unknown failure" : String.valueOf(failure.getMessage());
        return failed(symbol, reason.strip());
    }

    /**
     * Records a failure that only the symbol can fix.
     *
     * @return true when the state changed (entered quarantine, or a new reason): dead-letter this one
     */
    public synchronized boolean failed(String symbol, String reason) {
        Instant now = clock.instant();
        Entry previous = entries.get(symbol);
        int failures = previous == null ? 1 : previous.failures() + 1;
        Duration backoff = backoff(failures);
        Entry next = new Entry(symbol, previous == null ? now : previous.since(), now.plus(backoff), reason, failures);
        entries.put(symbol, next);
        if (previous == null) {
            LOG.warn("Quarantined {} until {} (retry in {} s): {}", symbol, next.nextRetry(), backoff.toSeconds(), reason);
            return true;
        }
        if (!previous.kind().equals(next.kind())) {
            LOG.warn("Quarantined {} with a new reason, until {} (failure #{}): {}", symbol, next.nextRetry(), failures,
                    reason);
            return true;
        }
        LOG.warn("Still quarantined {} until {} (failure #{}, same reason; no new dead letter)", symbol,
                next.nextRetry(), failures);
        return false;
    }

    /** A good answer: the symbol leaves quarantine (logged once). */
    public void succeeded(String symbol) {
        Entry e = entries.remove(symbol);
        if (e != null) {
            LOG.info("Released {} from quarantine after {} failures since {}", symbol, e.failures(), e.since());
        }
    }

    Duration backoff(int failures) {
        Duration d = initialBackoff;
        for (int i = 1; i < failures && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    /** Every quarantined symbol: since when, the next retry, the reason, consecutive failures. */
    public List<Entry> quarantined() {
        List<Entry> list = new ArrayList<>(entries.values());
        list.sort(Comparator.comparing(Entry::symbol));
        return list;
    }
}
