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
 * where a record's outcome is decided. Stages run one after another over the batch (a stage's own work may be
 * concurrent); an entry is not thread-safe beyond that.
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
        private final Set<String> alertKeys = new LinkedHashSet<>();

        Entry(StreamRecord record) {
            this.record = record;
        }

        public StreamRecord record() {
            return record;
        }

        /** The decoded quote, or null if the record could not be decoded. */
        public ProcessedQuote quote() {
            return quote;
        }

        /** No failure so far: the next stage takes it. */
        public boolean ok() {
            return failure == null && quote != null;
        }

        public Throwable failure() {
            return failure;
        }

        public String failedStage() {
            return failedStage;
        }

        public boolean poison() {
            return poison;
        }

        /** The dead letter written for it (poison only), or null. */
        public DeadLetter deadLetter() {
            return deadLetter;
        }

        void decoded(ProcessedQuote quote) {
            this.quote = quote;
        }

        /** The first failure counts: a record that failed one stage goes to no later one. */
        void fail(String stage, Throwable failure, boolean poison) {
            if (this.failure == null) {
                this.failure = failure;
                this.failedStage = stage;
                this.poison = poison;
            }
        }

        void deadLettered(DeadLetter letter) {
            this.deadLetter = letter;
        }

        void deadLetterFailed(Throwable failure) {
            this.deadLetterFailure = failure;
        }

        Set<String> alertKeys() {
            return alertKeys;
        }
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
        Map<String, List<Entry>> out = new LinkedHashMap<>();
        for (Entry e : ok()) {
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
     *   <li>anything else (throttling, I/O, an item left unprocessed, an alert not published, a lake object not
     *       written): {@code RETRY}.</li>
     * </ul>
     */
    public List<Outcome> outcomes() {
        List<Outcome> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.failure == null && e.quote != null) {
                out.add(new Outcome(e.record, Outcome.Status.STORED, null, e.quote));
            } else if (e.poison && e.deadLetter != null) {
                out.add(new Outcome(e.record, Outcome.Status.DEAD_LETTERED, e.deadLetter.reason(), e.quote));
            } else if (e.poison) {
                out.add(new Outcome(e.record, Outcome.Status.RETRY, "dead letter not written ("
                        + DeadLetter.reason(e.deadLetterFailure) + ") for: " + DeadLetter.reason(e.failure), e.quote));
            } else {
                out.add(new Outcome(e.record, Outcome.Status.RETRY,
                        e.failedStage + ": " + DeadLetter.reason(e.failure), e.quote));
            }
        }
        return out;
    }
}
