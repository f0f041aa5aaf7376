package dev.quotestream.core;

import dev.quotestream.core.metrics.ProcessedQuote;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch of stream records on its way through {@link BatchProcessor}: per record, its quote (once decoded), the
 * first failure met and whether it is poison, its alerts and its dead letter. {@link #outcomes()} is the one place
 * where a record's outcome is decided. Stages may run at once (the Lambda writes its alerts and its lake objects
 * concurrently): an entry's failure, dead letter and status are guarded by the entry itself, the first failure wins.
 * Its alert keys belong to the one task that evaluates its symbol.
 */
public final class Batch {

    /** One record and what happened to it so far. */
    public static final class Entry {
        private final StreamRecord record;
        private ProcessedQuote quote;
        private Throwable failure;
        private String failedStage;
        private boolean poison;
        private DeadLetter deadLetter;
        private Throwable deadLetterFailure;
        /** The sequence number of the earlier failed record it is held back behind, or null. */
        private String heldBehind;
        private final Set<String> alertKeys = new LinkedHashSet<>();

        Entry(StreamRecord record) {
            this.record = record;
        }

        public StreamRecord record() {
            return record;
        }

        /** The decoded quote, or null if the record could not be decoded. */
        public synchronized ProcessedQuote quote() {
            return quote;
        }

        /** No failure so far: the next stage takes it. */
        public synchronized boolean ok() {
            return failure == null && quote != null;
        }

        public synchronized Throwable failure() {
            return failure;
        }

        public synchronized String failedStage() {
            return failedStage;
        }

        public synchronized boolean poison() {
            return poison;
        }

        /** The dead letter written for it (poison only), or null. */
        public synchronized DeadLetter deadLetter() {
            return deadLetter;
        }

        synchronized void decoded(ProcessedQuote quote) {
            this.quote = quote;
        }

        /** The first failure counts: a record that failed one stage goes to no later one. */
        synchronized void fail(String stage, Throwable failure, boolean poison) {
            if (this.failure == null) {
                this.failure = failure;
                this.failedStage = stage;
                this.poison = poison;
            }
        }

        /**
         * Goes to no later stage and is retried, behind an earlier record that failed: a later record must not move
         * its symbol's alert state past a record the stream will deliver again (nor leave a lake line the redelivery
         * writes again). No effect on a record that failed already.
         */
        synchronized void holdBack(StreamRecord behind) {
            if (this.failure == null) {
                this.heldBehind = behind.sequence();
                this.failure = new IllegalStateException(heldBackReason(heldBehind));
                this.failedStage = null;
                this.poison = false;
            }
        }

        /** Failed for a reason a retry may fix (so far: a poison record is final once dead-lettered). */
        synchronized boolean retrying() {
            return failure != null && !poison;
        }

        synchronized void deadLettered(DeadLetter letter) {
            this.deadLetter = letter;
        }

        synchronized void deadLetterFailed(Throwable failure) {
            this.deadLetterFailure = failure;
        }

        Set<String> alertKeys() {
            return alertKeys;
        }

        /** Forgets a transient failure of {@code stage}, so that the stage is tried again for this record. */
        synchronized Throwable clearTransient(String stage) {
            if (failure == null || poison || !stage.equals(failedStage)) {
                return null;
            }
            Throwable cleared = failure;
            failure = null;
            failedStage = null;
            return cleared;
        }

        /** Its outcome, by the rules of {@link Batch#outcomes()}. */
        synchronized Outcome outcome() {
            if (failure == null && quote != null) {
                return new Outcome(record, Outcome.Status.STORED, null, quote);
            } else if (heldBehind != null) {
                return new Outcome(record, Outcome.Status.RETRY, heldBackReason(heldBehind), quote);
            } else if (poison && deadLetter != null) {
                return new Outcome(record, Outcome.Status.DEAD_LETTERED, deadLetter.reason(), quote);
            } else if (poison) {
                return new Outcome(record, Outcome.Status.RETRY, "dead letter not written ("
                        + DeadLetter.reason(deadLetterFailure) + ") for: " + DeadLetter.reason(failure), quote);
            }
            return new Outcome(record, Outcome.Status.RETRY, failedStage + ": " + DeadLetter.reason(failure), quote);
        }
    }

    static String heldBackReason(String sequence) {
        return "held back behind an earlier failed record " + sequence;
    }

    /**
     * After the table stage (Lambda): per shard and symbol, in stream order, every record behind the first one to be
     * retried (a transient failure so far) is held back ({@link Entry#holdBack}): the alert rule must not move the
     * symbol's state past a record that Lambda re-delivers (from the lowest failed sequence number). The other
     * symbols' records go on: their alerts are not delayed by another symbol's failure, and not lost if the retries
     * run out; their re-delivery is a replay (same table item, no second alert; its lake line again, which the
     * curated lake removes). Poison records hold nothing back and are dead-lettered at once (the same object again
     * when re-delivered).
     */
    public void holdBackBehindFirstRetry() {
        Map<String, StreamRecord> firstRetry = new java.util.HashMap<>(); // by shard and symbol
        for (Entry e : entries) {
            if (e.quote() == null) {
                continue; // not decoded: poison, no symbol, no alert state
            }
            String key = e.record().shard() + "|" + e.quote().symbol();
            StreamRecord behind = firstRetry.get(key);
            if (behind != null) {
                e.holdBack(behind);
            } else if (e.retrying()) {
                firstRetry.put(key, e.record());
            }
        }
    }

    /**
     * The records that failed {@code stage} transiently get another try (the route retries a stage until it works,
     * holding the checkpoint; the Lambda reports them instead).
     *
     * @return the first failure met among them, or null when none failed
     */
    public Throwable retryTransient(String stage) {
        Throwable first = null;
        for (Entry e : entries) {
            Throwable cleared = e.clearTransient(stage);
            if (first == null) {
                first = cleared;
            }
        }
        return first;
    }

    private final List<Entry> entries;
    private int alertsPublished;
    private final List<String> lakeObjects = new ArrayList<>();

    Batch(List<StreamRecord> records) {
        List<Entry> list = new ArrayList<>(records.size());
        for (StreamRecord record : records) {
            list.add(new Entry(record));
        }
        this.entries = Collections.unmodifiableList(list);
    }

    public List<Entry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    /** The entries still without failure, in stream order. */
    public List<Entry> ok() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.ok()) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The lake lines of the entries without failure, per partition (in stream order), with their stream positions:
     * what the lake sink writes (route: buffered across polls; Lambda: one object per partition per batch).
     */
    public Map<String, List<Entry>> lakePartitions(LakeLayout layout) {
        return lakePartitions(layout, ok());
    }

    /** The same for these entries (the ones the table stored, taken once before stages that run at once). */
    static Map<String, List<Entry>> lakePartitions(LakeLayout layout, List<Entry> stored) {
        Map<String, List<Entry>> out = new LinkedHashMap<>();
        for (Entry e : stored) {
            out.computeIfAbsent(layout.partition(e.quote()), p -> new ArrayList<>()).add(e);
        }
        return out;
    }

    synchronized void alertPublished() {
        alertsPublished++;
    }

    public synchronized int alertsPublished() {
        return alertsPublished;
    }

    synchronized void lakeObjectWritten(String partition) {
        lakeObjects.add(partition);
    }

    /** Partitions written as lake objects by this batch (Lambda). */
    public synchronized List<String> lakeObjects() {
        return List.copyOf(lakeObjects);
    }

    /**
     * Each record's outcome, in stream order: the one place that decides it.
     * <ul>
     *   <li>no failure: {@code STORED};</li>
     *   <li>poison (invalid input, a request the service rejects for good): {@code DEAD_LETTERED} once its dead
     *       letter is written, else {@code RETRY} (never lost: it is still in the stream);</li>
     *   <li>held back behind an earlier failed record of its shard ({@link #holdBackBehindFirstRetry}, and a
     *       symbol's records behind its failed alert state write): {@code RETRY}, with that record's sequence
     *       number;</li>
     *   <li>anything else (throttling, I/O, an item left unprocessed, an alert not published, a lake object not
     *       written): {@code RETRY}.</li>
     * </ul>
     */
    public List<Outcome> outcomes() {
        List<Outcome> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.outcome());
        }
        return out;
    }
}
