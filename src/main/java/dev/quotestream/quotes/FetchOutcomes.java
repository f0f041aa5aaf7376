package dev.quotestream.quotes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of each fetch (one symbol in one cycle), counted for health pages and the invariant the tests
 * check: fetches = published + unchanged + dead_lettered + quarantined + breaker_open.
 */
public class FetchOutcomes {

    public static final String FETCHES = "fetches";
    public static final String PUBLISHED = "published";
    public static final String UNCHANGED = "unchanged";
    public static final String DEAD_LETTERED = "dead_lettered";
    /** Skipped while quarantined, or retried and failed again for the same reason (no new dead letter). */
    public static final String QUARANTINED = "quarantined";
    public static final String BREAKER_OPEN = "breaker_open";

    private final Map<String, AtomicLong> counts = new LinkedHashMap<>();

    public FetchOutcomes() {
        for (String name : new String[] {FETCHES, PUBLISHED, UNCHANGED, DEAD_LETTERED, QUARANTINED, BREAKER_OPEN}) {
            counts.put(name, new AtomicLong());
        }
    }

    public void count(String outcome) {
        count(outcome, 1);
    }

    public void count(String outcome, int n) {
        AtomicLong c = counts.get(outcome);
        if (c == null) {
            throw new IllegalArgumentException("unknown fetch outcome '" + outcome + "'");
        }
        c.addAndGet(n);
    }

    public long get(String outcome) {
        return counts.get(outcome).get();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }
}
