package dev.quotestream.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Publishes each pending alert once per process, and again until it is published: the alert sink hands it the
 * alerts the gate returns, a timer asks it for the ones {@link #due()} for another attempt (capped exponential
 * backoff with jitter), and its first {@link #due()} call loads what the outbox still holds from before this
 * process started (a stop, a crash). A transient failure leaves the alert pending: it is never dead-lettered
 * for that. Only a duplicate after a crash between the publish and its mark is possible, with the same key.
 * Published alerts are marked together ({@link #markPublished()}, after a batch's or a tick's publishes): one
 * write per symbol-day instead of one per alert.
 */
public final class AlertRelay {

    private static final int REMEMBERED_SENT = 10_000;

    private final AlertOutbox outbox;
    private final Clock clock;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Supplier<Collection<PendingAlert>> startupScan;
    private boolean scanned;

    private final Map<String, Retry> waiting = new LinkedHashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private final Map<String, PendingAlert> unmarked = new LinkedHashMap<>();
    /** Published (not dead-lettered) since the last {@link #markPublished()}: for the alert log. */
    private final Map<String, PendingAlert> publishedSinceMark = new LinkedHashMap<>();
    private final Map<String, Boolean> sent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_SENT;
        }
    };

    private record Retry(PendingAlert alert, int attempts, Instant next) {
    }

    /** @param startupScan what the outbox holds for the configured symbols and recent days (Query, never Scan) */
    public AlertRelay(AlertOutbox outbox, Clock clock, Duration initialBackoff, Duration maxBackoff,
                      Supplier<Collection<PendingAlert>> startupScan) {
        this.outbox = outbox;
        this.clock = clock;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.startupScan = startupScan;
    }

    /** Claims an alert for publishing: false if this process is publishing it, or has published it already. */
    public synchronized boolean claim(PendingAlert alert) {
        String key = alert.key();
        if (sent.containsKey(key) || inFlight.contains(key)) {
            return false;
        }
        inFlight.add(key);
        return true;
    }

    /** Published: never again from this process; removed from the outbox by the next {@link #markPublished()}. */
    public synchronized void published(PendingAlert alert) {
        done(alert);
        publishedSinceMark.put(alert.key(), alert);
    }

    /** Dead-lettered (the publish was rejected for good): removed from the outbox like a published one. */
    public synchronized void deadLettered(PendingAlert alert) {
        done(alert);
    }

    private void done(PendingAlert alert) {
        sent.put(alert.key(), Boolean.TRUE);
        inFlight.remove(alert.key());
        waiting.remove(alert.key());
        unmarked.put(alert.key(), alert);
    }

    /** A transient failure: the alert stays pending and is due again after a backoff. */
    public synchronized void failed(PendingAlert alert) {
        String key = alert.key();
        inFlight.remove(key);
        Retry previous = waiting.get(key);
        int attempts = previous == null ? 1 : previous.attempts() + 1;
        waiting.put(key, new Retry(alert, attempts, clock.instant().plus(backoff(attempts))));
    }

    /** Gives up a claim without an attempt (a stop). */
    public synchronized void released(PendingAlert alert) {
        inFlight.remove(alert.key());
    }

    /** The alerts due for another attempt; the first call also loads the outbox's leftovers from earlier runs. */
    public List<PendingAlert> due() {
        if (!scanned) {
            Collection<PendingAlert> found = startupScan.get(); // throws while the table is unreachable: next tick
            synchronized (this) {
                scanned = true;
                Instant now = clock.instant();
                for (PendingAlert alert : found) {
                    waiting.putIfAbsent(alert.key(), new Retry(alert, 0, now));
                }
            }
        }
        markSent();
        List<PendingAlert> due = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (Retry r : waiting.values()) {
                if (!r.next().isAfter(now) && !inFlight.contains(r.alert().key()) && !sent.containsKey(r.alert().key())) {
                    due.add(r.alert());
                }
            }
        }
        return due;
    }

    /** Alerts this process knows are pending (waiting for a retry or being published). */
    public synchronized int pendingCount() {
        Set<String> keys = new HashSet<>(waiting.keySet());
        keys.addAll(inFlight);
        return keys.size();
    }

    /**
     * Removes the alerts published (or dead-lettered) since the last call from the outbox: one write per symbol-day.
     * A write that fails leaves its alerts published but still pending in the table: marked again by the next call
     * (the next batch, the relay's next tick), never re-sent from this process.
     *
     * @return the alerts published since the last call (not the dead-lettered ones), for the alert log
     */
    public List<PendingAlert> markPublished() {
        List<PendingAlert> published;
        synchronized (this) {
            published = new ArrayList<>(publishedSinceMark.values());
            publishedSinceMark.clear();
        }
        markSent();
        return published;
    }

    /**
     * Marks what is published or dead-lettered and not marked yet (the outbox writes once per symbol-day); after a
     * failure all of them are marked again next time (marking is idempotent).
     */
    private void markSent() {
        List<PendingAlert> marks;
        synchronized (this) {
            if (unmarked.isEmpty()) {
                return;
            }
            marks = new ArrayList<>(unmarked.values());
            unmarked.clear();
        }
        try {
            outbox.markSent(marks);
        } catch (RuntimeException tableDown) {
            synchronized (this) {
                marks.forEach(alert -> unmarked.putIfAbsent(alert.key(), alert));
            }
        }
    }

    private Duration backoff(int attempts) {
        long base = initialBackoff.toMillis() * (1L << Math.min(20, attempts - 1));
        long capped = Math.min(maxBackoff.toMillis(), base);
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }
}
