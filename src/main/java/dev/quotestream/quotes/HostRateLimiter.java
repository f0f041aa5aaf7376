package dev.quotestream.quotes;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * At most {@code permitsPerSecond} requests per second to one host, whatever the fetch concurrency: each request
 * takes the next free slot (slots 1/rate apart) and waits for it. Retries take slots too.
 */
public class HostRateLimiter {

    private final long intervalNanos;
    private final Map<String, long[]> nextSlot = new ConcurrentHashMap<>();

    public HostRateLimiter(double permitsPerSecond) {
        if (permitsPerSecond <= 0) {
            throw new IllegalArgumentException("quotes.max-requests-per-second must be positive, was " + permitsPerSecond);
        }
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / permitsPerSecond);
    }

    /** Waits for the host's next slot; {@code url} is the request URL (its host is the key). */
    public void acquire(String url) throws InterruptedException {
        String host = host(url);
        long[] slot = nextSlot.computeIfAbsent(host, h -> new long[] {System.nanoTime()});
        long mine;
        synchronized (slot) {
            long now = System.nanoTime();
            mine = Math.max(slot[0], now);
            slot[0] = mine + intervalNanos;
        }
        long wait;
        while ((wait = mine - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for a request slot to " + host);
            }
        }
    }

    static String host(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() + ":" + uri.getPort();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
