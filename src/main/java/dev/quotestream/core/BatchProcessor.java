package dev.quotestream.core;

import dev.quotestream.core.metrics.InvalidQuoteException;
import dev.quotestream.core.metrics.ProcessedQuote;
import dev.quotestream.core.metrics.QuoteMetrics;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The one processing core of the route and the Lambda: a batch of stream records in, each record's
 * {@link Outcome} out (decided by {@link Batch#outcomes()}), with the batch's writes going through the ports:
 * <ol>
 *   <li>{@link #decide}: decode and check each record, compute its metrics (poison: dead-lettered later);</li>
 *   <li>{@link #writeTable}: every item of the batch in one {@link TableWriter} call (the Lambda reads the batch's
 *       alert state meanwhile);</li>
 *   <li>{@link #writeAlerts}: per symbol, the alert rule in stream order against the (in-memory) alert state, flips
 *       written through the outbox, then that symbol's pending alerts published once each, in crossing order;
 *       the symbols concurrently;</li>
 *   <li>{@link #writeLake}: one object per partition, concurrently (Lambda; the route buffers across polls);</li>
 *   <li>{@link #writeDeadLetters}: the poison records' dead letters.</li>
 * </ol>
 * {@link #process} runs the alerts and the lake at once: both take the records the table stored, and nothing else.
 * A record's first failure is its outcome, and a record the table did not store goes to no later stage (the lake
 * never holds a line of an unstored record); nor do its symbol's records behind it in its shard (held back: Lambda
 * re-delivers from the first failed record, and a later record must not move the alert state past it).
 */
public final class BatchProcessor implements AutoCloseable {

    public static final String STAGE_PROCESS = "quote-process";
    public static final String STAGE_TABLE = "table-sink";
    public static final String STAGE_ALERT = "alert-sink";
    public static final String STAGE_LAKE = "lake-sink";

    private final QuoteDecoder decoder = new QuoteDecoder();
    private final QuoteMetrics metrics;
    private final Failures failures;
    private final AlertGate gate;
    private final AlertRelay relay;
    private final TableWriter table;
    private final AlertPublisher publisher;
    private final LakeWriter lake;
    private final DeadLetterWriter deadLetters;
    private final LakeLayout layout;
    private final Clock clock;
    private final ExecutorService pool;
    private final BatchEvents events;

    /**
     * @param lake        null when the binding writes the lake itself (the route's buffer across polls)
     * @param parallelism how many alerts (and lake objects) are written at once
     */
    public BatchProcessor(QuoteMetrics metrics, Failures failures, AlertGate gate, AlertRelay relay,
                          TableWriter table, AlertPublisher publisher, LakeWriter lake, DeadLetterWriter deadLetters,
                          LakeLayout layout, Clock clock, int parallelism, BatchEvents events) {
        this.metrics = metrics;
        this.failures = failures;
        this.gate = gate;
        this.relay = relay;
        this.table = table;
        this.publisher = publisher;
        this.lake = lake;
        this.deadLetters = deadLetters;
        this.layout = layout;
        this.clock = clock;
        this.events = events == null ? BatchEvents.NONE : events;
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        this.pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "quote-batch-io");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The whole batch, every stage (the Lambda). While the table is written, the alert state of the batch's
     * symbol-days is read afresh, in one go ({@link AlertGate#reload}): Lambda may have run the shard's previous batch
     * in another container. After the table, a symbol's records behind its first one to retry are held back
     * ({@link Batch#holdBackBehindFirstRetry}).
     */
    public Batch process(List<StreamRecord> records, Function<StreamRecord, String> unreadable) {
        Batch batch = decide(records, unreadable);
        List<ProcessedQuote> decided = new ArrayList<>();
        batch.ok().forEach(e -> decided.add(e.quote()));
        Future<Throwable> stateRead = decided.isEmpty() ? null : pool.submit(() -> {
            gate.reload(decided);
            return null;
        });
        writeTable(batch);
        Throwable notRead = stateRead == null ? null : result(stateRead);
        if (notRead != null) {
            // Nothing of them is left in memory: each symbol-day is read alone (GetItem) when evaluated.
            events.alertStateNotRead(notRead);
        }
        batch.holdBackBehindFirstRetry();
        // The alerts and the lake depend on the table's answer only: both take the records it stored, at once.
        List<Batch.Entry> stored = batch.ok();
        AlertWrites alerts = new AlertWrites(batch, stored);
        LakeWrites lakeWrites = new LakeWrites(batch, stored);
        List<Callable<Throwable>> tasks = new ArrayList<>(alerts.tasks);
        tasks.addAll(lakeWrites.tasks); // after the alerts: a symbol's alert is several round trips, a lake object one
        List<PendingAlert> leftOver = leftOverAlerts(decided);
        if (!leftOver.isEmpty()) {
            tasks.add(() -> {
                publishLeftOver(leftOver, batch);
                return null;
            });
        }
        List<Throwable> results = all(tasks);
        int alertTasks = alerts.tasks.size();
        alerts.settle(results.subList(0, alertTasks));
        lakeWrites.settle(results.subList(alertTasks, alertTasks + lakeWrites.tasks.size()));
        writeDeadLetters(batch);
        return batch;
    }

    /**
     * Alerts of other symbol-days that this container failed to publish earlier and that are due again: their
     * records may never come back (Lambda's retries can run out), and Lambda has no timer to retry them otherwise.
     * The batch's own symbol-days' pending alerts are its records' business (AlertWrites).
     */
    private List<PendingAlert> leftOverAlerts(List<ProcessedQuote> decided) {
        java.util.Set<AlertOutbox.SymbolDay> batchDays = new java.util.HashSet<>();
        decided.forEach(q -> batchDays.add(new AlertOutbox.SymbolDay(q.symbol(), q.tradingDay())));
        List<PendingAlert> due = new ArrayList<>();
        for (PendingAlert alert : relay.due()) {
            if (!batchDays.contains(new AlertOutbox.SymbolDay(alert.symbol(), alert.tradingDay()))) {
                due.add(alert);
            }
        }
        return due;
    }

    /** Publishes them once each (a failure waits again in the relay, with backoff), then marks the published. */
    private void publishLeftOver(List<PendingAlert> alerts, Batch batch) {
        for (PendingAlert alert : alerts) {
            if (!relay.claim(alert)) {
                continue;
            }
            try {
                publish(alert, batch);
            } finally {
                relay.released(alert);
            }
        }
        relay.markPublished();
    }

    public Batch process(List<StreamRecord> records) {
        return process(records, r -> null);
    }

    /**
     * Decodes and checks each record and computes its metrics, in stream order; no I/O. Whatever fails here failed on
     * the record's own bytes and would fail again on every retry, so any exception makes the record poison
     * (dead-lettered with its reason), not only the rejections the decoder and the bounds name; the route and the
     * Lambda both classify here.
     */
    public Batch decide(List<StreamRecord> records, Function<StreamRecord, String> unreadable) {
        Batch batch = new Batch(records);
        for (Batch.Entry entry : batch.entries()) {
            try {
                String readError = unreadable.apply(entry.record());
                if (readError != null) {
                    throw new InvalidQuoteException(readError);
                }
                entry.decoded(metrics.process(decoder.decode(entry.record())));
            } catch (Exception rejected) {
                entry.fail(STAGE_PROCESS, rejected, true);
            }
        }
        return batch;
    }

    public Batch decide(List<StreamRecord> records) {
        return decide(records, r -> null);
    }

    /** Every item of the batch in one table write; a record whose item is not stored fails, and only it. */
    public void writeTable(Batch batch) {
        List<Batch.Entry> ok = batch.ok();
        if (ok.isEmpty()) {
            return;
        }
        List<ProcessedQuote> quotes = new ArrayList<>(ok.size());
        ok.forEach(e -> quotes.add(e.quote()));
        List<RuntimeException> results;
        try {
            results = table.write(quotes);
        } catch (RuntimeException whole) {
            ok.forEach(e -> e.fail(STAGE_TABLE, whole, failures.isPoison(whole) && ok.size() == 1));
            return;
        }
        tableWritten(ok, results);
    }

    /** The table's answer for these entries (in order): a record whose item is not stored fails, and only it. */
    public void tableWritten(List<Batch.Entry> written, List<? extends Throwable> results) {
        for (int i = 0; i < written.size(); i++) {
            Throwable failure = results.get(i);
            if (failure != null) {
                written.get(i).fail(STAGE_TABLE, failure, failures.isPoison(failure));
            }
        }
    }

    /**
     * The alert rule for each stored quote, per symbol in stream order, through the outbox (a flip and its alert: one
     * conditional write), then the symbol's distinct pending alerts published once each, in crossing order; the
     * symbols concurrently. A record whose alert (new, or left pending earlier) is not published is retried; the
     * alert stays pending in the outbox meanwhile.
     */
    public void writeAlerts(Batch batch) {
        AlertWrites alerts = new AlertWrites(batch, batch.ok());
        alerts.settle(all(alerts.tasks));
    }

    /** The alert stage of a batch's stored records: one task per symbol, then each record's result. */
    private final class AlertWrites {
        private final Batch batch;
        private final List<List<Batch.Entry>> symbols = new ArrayList<>();
        private final List<Callable<Throwable>> tasks = new ArrayList<>();
        private final Map<String, Throwable> failed = new ConcurrentHashMap<>();

        AlertWrites(Batch batch, List<Batch.Entry> stored) {
            this.batch = batch;
            Map<String, List<Batch.Entry>> bySymbol = new LinkedHashMap<>();
            for (Batch.Entry entry : stored) {
                bySymbol.computeIfAbsent(entry.quote().symbol(), s -> new ArrayList<>()).add(entry);
            }
            for (List<Batch.Entry> entries : bySymbol.values()) {
                symbols.add(entries);
                tasks.add(() -> {
                    symbol(entries);
                    return null;
                });
            }
        }

        /**
         * One symbol: the rule on its quotes in stream order, then its alerts one after the other. A quote whose state
         * write fails stops the rule for the symbol: its later quotes are held back, never evaluated without it.
         */
        private void symbol(List<Batch.Entry> entries) {
            Map<String, PendingAlert> toPublish = new LinkedHashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                Batch.Entry entry = entries.get(i);
                try {
                    for (PendingAlert alert : gate.evaluate(entry.quote())) {
                        toPublish.putIfAbsent(alert.key(), alert);
                        entry.alertKeys().add(alert.key());
                    }
                } catch (RuntimeException stateFailure) {
                    entry.fail(STAGE_ALERT, stateFailure, false);
                    entries.subList(i + 1, entries.size()).forEach(later -> later.holdBack(entry.record()));
                    break;
                }
            }
            for (PendingAlert alert : toPublish.values()) {
                if (!relay.claim(alert)) {
                    continue; // being published, or published already, by this process
                }
                Throwable failure;
                try {
                    failure = publish(alert, batch);
                } catch (RuntimeException unexpected) {
                    failure = unexpected;
                } finally {
                    // A claim never outlives its attempt (a no-op once published, dead-lettered or failed): an
                    // Error thrown here would otherwise leave the alert "being published", skipped by every retry.
                    relay.released(alert);
                }
                if (failure != null) {
                    failed.put(alert.key(), failure);
                }
            }
            relay.markPublished(); // the symbol's published alerts leave the outbox: one write per symbol-day
        }

        /** A record whose alert was not published, or whose symbol's task died, is retried. */
        void settle(List<Throwable> results) {
            for (int i = 0; i < symbols.size(); i++) {
                Throwable died = results.get(i);
                for (Batch.Entry entry : symbols.get(i)) {
                    if (died != null) {
                        entry.fail(STAGE_ALERT, died, false);
                        continue;
                    }
                    for (String key : entry.alertKeys()) {
                        Throwable failure = failed.get(key);
                        if (failure != null) {
                            entry.fail(STAGE_ALERT, failure, false);
                            break;
                        }
                    }
                }
            }
        }
    }

    /** @return null when published (or dead-lettered for good), else the transient failure; it stays pending */
    private Throwable publish(PendingAlert alert, Batch batch) {
        try {
            publisher.publish(alert);
        } catch (RuntimeException publishFailed) {
            if (!failures.isPoison(publishFailed)) {
                relay.failed(alert);
                events.alertFailed(alert, publishFailed);
                return publishFailed;
            }
            DeadLetter letter = DeadLetter.of(clock.instant(), STAGE_ALERT, alert.symbol(),
                    DeadLetter.reason(publishFailed), DeadLetter.errorType(publishFailed), null, alert.json());
            try {
                deadLetters.write(letter);
            } catch (RuntimeException deadLetterFailed) {
                relay.failed(alert);
                events.deadLetterFailed(letter, deadLetterFailed);
                return deadLetterFailed;
            }
            relay.deadLettered(alert);
            events.deadLettered(letter, null);
            return null;
        }
        relay.published(alert);
        batch.alertPublished();
        events.alertPublished(alert);
        return null;
    }

    /** One lake object per partition of the batch, written concurrently; a partition not written fails its records. */
    public void writeLake(Batch batch) {
        LakeWrites writes = new LakeWrites(batch, batch.ok());
        writes.settle(all(writes.tasks));
    }

    /** The lake stage of a batch's stored records: one task per partition (none when the binding writes the lake). */
    private final class LakeWrites {
        private final List<List<Batch.Entry>> partitions = new ArrayList<>();
        private final List<Callable<Throwable>> tasks = new ArrayList<>();

        LakeWrites(Batch batch, List<Batch.Entry> stored) {
            if (lake == null) {
                return;
            }
            Instant flushTime = clock.instant();
            Batch.lakePartitions(layout, stored).forEach((partition, entries) -> {
                partitions.add(entries);
                tasks.add(() -> {
                    try {
                        List<String> lines = new ArrayList<>(entries.size());
                        entries.forEach(e -> lines.add(layout.jsonLine(e.quote())));
                        lake.write(partition, lines, flushTime);
                        batch.lakeObjectWritten(partition);
                        events.lakeObjectWritten(partition, lines.size());
                        return null;
                    } catch (RuntimeException notWritten) {
                        events.lakeObjectFailed(partition, notWritten);
                        return notWritten;
                    }
                });
            });
        }

        void settle(List<Throwable> results) {
            for (int i = 0; i < partitions.size(); i++) {
                Throwable failure = results.get(i);
                if (failure != null) {
                    partitions.get(i).forEach(e -> e.fail(STAGE_LAKE, failure, false));
                }
            }
        }
    }

    /** The poison records' dead letters, at keys a redelivery overwrites; one not written leaves its record to retry. */
    public void writeDeadLetters(Batch batch) {
        for (Batch.Entry entry : batch.entries()) {
            if (!entry.poison() || entry.deadLetter() != null) {
                continue;
            }
            String symbol = entry.quote() == null ? null : entry.quote().symbol();
            DeadLetter letter = DeadLetter.ofRecord(clock.instant(), entry.failedStage(), symbol, entry.failure(),
                    entry.record());
            try {
                deadLetters.write(letter);
                entry.deadLettered(letter);
                events.deadLettered(letter, entry.record());
            } catch (RuntimeException notWritten) {
                entry.deadLetterFailed(notWritten);
                events.deadLetterFailed(letter, notWritten);
            }
        }
    }

    /**
     * Runs the tasks and waits for all: the first on this thread, the others on the pool (bounded parallelism; a
     * task never waits for another, so the pool cannot deadlock). Each result: null, or what the task returned or
     * threw.
     */
    private List<Throwable> all(List<Callable<Throwable>> tasks) {
        List<Future<Throwable>> futures = new ArrayList<>(tasks.size());
        for (int i = 1; i < tasks.size(); i++) {
            futures.add(pool.submit(tasks.get(i)));
        }
        List<Throwable> results = new ArrayList<>(tasks.size());
        if (!tasks.isEmpty()) {
            results.add(call(tasks.get(0)));
        }
        for (Future<Throwable> f : futures) {
            results.add(result(f));
        }
        return results;
    }

    private static Throwable result(Future<Throwable> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** Like a pool task's answer: an Error too is the task's result, so that the batch waits for all its tasks. */
    private static Throwable call(Callable<Throwable> task) {
        try {
            return task.call();
        } catch (Exception | Error e) {
            return e;
        }
    }

    public LakeLayout layout() {
        return layout;
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
