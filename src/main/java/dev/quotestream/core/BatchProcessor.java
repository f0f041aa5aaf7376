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
 *   <li>{@link #writeTable}: every item of the batch in one {@link TableWriter} call;</li>
 *   <li>{@link #writeAlerts}: the alert rule in stream order against the (in-memory) alert state, flips written
 *       through the outbox, then each distinct pending alert published once, concurrently;</li>
 *   <li>{@link #writeLake}: one object per partition, concurrently (Lambda; the route buffers across polls);</li>
 *   <li>{@link #writeDeadLetters}: the poison records' dead letters.</li>
 * </ol>
 * A failure costs only its own record: it goes to no later stage and its outcome is its own.
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

    /** The whole batch, every stage (the Lambda). */
    public Batch process(List<StreamRecord> records, Function<StreamRecord, String> unreadable) {
        Batch batch = decide(records, unreadable);
        writeTable(batch);
        writeAlerts(batch);
        writeLake(batch);
        writeDeadLetters(batch);
        return batch;
    }

    public Batch process(List<StreamRecord> records) {
        return process(records, r -> null);
    }

    /** Decodes and checks each record and computes its metrics, in stream order; no I/O. */
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
                entry.fail(STAGE_PROCESS, rejected, failures.isPoison(rejected));
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
        for (int i = 0; i < ok.size(); i++) {
            RuntimeException failure = results.get(i);
            if (failure != null) {
                ok.get(i).fail(STAGE_TABLE, failure, failures.isPoison(failure));
            }
        }
    }

    /**
     * The alert rule for each stored quote in stream order, through the outbox (a flip and its alert: one conditional
     * write), then every distinct pending alert of the batch published once, concurrently. A record whose alert (new,
     * or left pending earlier) is not published is retried; the alert stays pending in the outbox meanwhile.
     */
    public void writeAlerts(Batch batch) {
        Map<String, PendingAlert> toPublish = new LinkedHashMap<>();
        for (Batch.Entry entry : batch.ok()) {
            try {
                for (PendingAlert alert : gate.evaluate(entry.quote())) {
                    toPublish.putIfAbsent(alert.key(), alert);
                    entry.alertKeys().add(alert.key());
                }
            } catch (RuntimeException stateFailure) {
                entry.fail(STAGE_ALERT, stateFailure, false);
            }
        }
        List<PendingAlert> claimed = new ArrayList<>();
        for (PendingAlert alert : toPublish.values()) {
            if (relay.claim(alert)) {
                claimed.add(alert);
            }
        }
        // Symbols concurrently; a symbol's own alerts one after the other, in crossing order.
        Map<String, List<PendingAlert>> bySymbol = new LinkedHashMap<>();
        claimed.forEach(alert -> bySymbol.computeIfAbsent(alert.symbol(), s -> new ArrayList<>()).add(alert));
        Map<String, Throwable> failed = new java.util.concurrent.ConcurrentHashMap<>();
        List<Callable<Throwable>> sends = new ArrayList<>();
        bySymbol.values().forEach(alerts -> sends.add(() -> {
            for (PendingAlert alert : alerts) {
                Throwable failure;
                try {
                    failure = publish(alert, batch);
                } catch (RuntimeException unexpected) {
                    failure = unexpected;
                }
                if (failure != null) {
                    failed.put(alert.key(), failure);
                }
            }
            return null;
        }));
        all(sends);
        if (failed.isEmpty()) {
            return;
        }
        for (Batch.Entry entry : batch.ok()) {
            for (String key : entry.alertKeys()) {
                if (failed.containsKey(key)) {
                    entry.fail(STAGE_ALERT, failed.get(key), false);
                    break;
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
        if (lake == null) {
            return;
        }
        Map<String, List<Batch.Entry>> partitions = batch.lakePartitions(layout);
        Instant flushTime = clock.instant();
        List<String> names = new ArrayList<>(partitions.keySet());
        List<Callable<Throwable>> writes = new ArrayList<>();
        for (String partition : names) {
            List<String> lines = new ArrayList<>();
            partitions.get(partition).forEach(e -> lines.add(layout.jsonLine(e.quote())));
            writes.add(() -> {
                try {
                    lake.write(partition, lines, flushTime);
                    batch.lakeObjectWritten(partition);
                    events.lakeObjectWritten(partition, lines.size());
                    return null;
                } catch (RuntimeException notWritten) {
                    events.lakeObjectFailed(partition, notWritten);
                    return notWritten;
                }
            });
        }
        List<Throwable> results = all(writes);
        for (int i = 0; i < names.size(); i++) {
            Throwable failure = results.get(i);
            if (failure != null) {
                partitions.get(names.get(i)).forEach(e -> e.fail(STAGE_LAKE, failure, false));
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

    /** Runs the tasks on the pool (bounded parallelism) and waits for all; one task alone runs on this thread. */
    private List<Throwable> all(List<Callable<Throwable>> tasks) {
        List<Throwable> results = new ArrayList<>(tasks.size());
        if (tasks.size() == 1) {
            try {
                results.add(tasks.get(0).call());
            } catch (Exception e) {
                results.add(e);
            }
            return results;
        }
        List<Future<Throwable>> futures = new ArrayList<>(tasks.size());
        tasks.forEach(t -> futures.add(pool.submit(t)));
        for (Future<Throwable> f : futures) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                results.add(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results.add(e);
            }
        }
        return results;
    }

    public LakeLayout layout() {
        return layout;
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
