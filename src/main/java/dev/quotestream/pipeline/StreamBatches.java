package dev.quotestream.pipeline;

import dev.quotestream.core.AlertGate;
import dev.quotestream.core.Batch;
import dev.quotestream.core.BatchProcessor;
import dev.quotestream.core.Failures;
import dev.quotestream.core.LakeLayout;
import dev.quotestream.core.PendingAlert;
import dev.quotestream.core.StreamPositions;
import dev.quotestream.core.StreamRecord;
import dev.quotestream.core.TableWriter;
import dev.quotestream.core.metrics.ProcessedQuote;
import dev.quotestream.core.metrics.QuoteMetrics;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The route side of the one processing core ({@link BatchProcessor}): what one poll of the stream returns becomes one
 * {@link Batch} (this is the aggregation strategy), decided by the core, then written by the sink routes of the
 * multicast (routes/quote-process.yaml), each with the whole batch:
 * <ul>
 *   <li>{@link TableSink} behind {@code {{table.uri}}}: the batch's items in one write
 *       (DynamoDB BatchWriteItem, or one SQLite transaction); an item not stored yet fails the send, which the route's
 *       error handler retries; {@link #tableWritten} reads the answer;</li>
 *   <li>{@link #alerts}: the alert rule per symbol-day in stream order through the outbox, one write per symbol-day
 *       that flipped; the pending alerts go to the alert sender;</li>
 *   <li>{@link #lakeGroups}: the lines per partition, handed to the lake's buffer (one object per partition per
 *       flush); a record is final only once its line is written.</li>
 * </ul>
 * {@link #settle} then dead-letters the poison records and marks every record done for the checkpoint.
 */
public class StreamBatches implements AggregationStrategy {

    /** On each record's exchange: its outcome is settled by its batch, not by the end of its own exchange. */
    public static final String BATCHED = "streamBatched";
    /** The batch on the exchange that carries it (a multicast's sinks return other bodies). */
    public static final String BATCH = "streamBatch";
    /** Records stored by a table write (for counters: one exchange carries many records). */
    public static final String TABLE_RECORDS = "tableRecords";

    /** One partition's lines of a batch, with the records' stream positions ({@code shard/sequence}). */
    public record LakeGroup(String partition, String text, int count, List<String> positions) {
    }

    private final CamelContext context;
    private final BatchProcessor core;
    private final AlertGate gate;
    private final StreamPositions positions;
    private final LakeLayout layout;
    private final LakeRecords lake;
    private ProducerTemplate producer;
    /**
     * Whether the last batch begun was settled. Batches run one at a time; one that ended unsettled failed, which
     * only a stop can make happen (a failure is retried for as long as it lasts while running).
     */
    private volatile boolean lastSettled = true;

    public StreamBatches(CamelContext context, QuoteMetrics metrics, Failures failures, AlertGate gate,
                         StreamPositions positions, LakeRecords lake) {
        this.context = context;
        this.gate = gate;
        this.positions = positions;
        this.lake = lake;
        this.layout = lake.layout();
        // The core decides and reads the table's answer here: the writes themselves are the sink routes'.
        this.core = new BatchProcessor(metrics, failures, gate, null, quotes -> {
            throw new UnsupportedOperationException("the route writes the table through {{table.uri}}");
        }, null, null, null, layout, Clock.systemUTC(), 1, null);
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            producer = context.createProducerTemplate();
        }
        return producer;
    }

    // ------------------------------------------------------------------ one poll, one batch

    @Override
    public Exchange aggregate(Exchange batch, Exchange record) {
        StreamRecord r = record.getProperty(StreamRecords.PROPERTY, StreamRecord.class);
        if (batch == null) {
            List<StreamRecord> records = new ArrayList<>();
            records.add(r);
            record.getMessage().setBody(records);
            return record;
        }
        @SuppressWarnings("unchecked")
        List<StreamRecord> records = batch.getMessage().getBody(List.class);
        records.add(r);
        return batch;
    }

    /**
     * Decodes, checks and computes every record of the batch (no I/O); poison records are dead-lettered at settle.
     * While stopping, a batch already queued behind one that failed does not begin: its quotes must not move the
     * alert state past the failed batch's, which the next start reads again (it would find them replays).
     */
    public Batch decide(Exchange exchange) {
        if (!lastSettled && !WhileRunning.running(context)) {
            throw new java.util.concurrent.RejectedExecutionException("stopping: held back behind an earlier batch that"
                    + " failed; its records are read again at the next start");
        }
        lastSettled = false;
        @SuppressWarnings("unchecked")
        List<StreamRecord> records = exchange.getMessage().getBody(List.class);
        Batch batch = core.decide(records);
        exchange.setProperty(BATCH, batch);
        // In flight for its route until it ends, so that a graceful stop waits for the batch (its lake lines, its
        // checkpoint) as it waits for a record's exchange.
        String route = exchange.getFromRouteId();
        var inflight = context.getInflightRepository();
        inflight.add(exchange, route);
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                inflight.remove(done, route);
            }
        });
        exchange.getMessage().setHeader("batchSize", batch.size());
        return batch;
    }

    // ------------------------------------------------------------------ table

    /** The table's answer: poison items fail their records (dead-lettered at settle), the rest are stored. */
    public void tableWritten(Exchange exchange) {
        Batch batch = exchange.getProperty(BATCH, Batch.class);
        @SuppressWarnings("unchecked")
        List<RuntimeException> results = exchange.getMessage().getBody(List.class);
        core.tableWritten(batch.ok(), results);
        exchange.getMessage().setHeader(TABLE_RECORDS, batch.ok().size());
        exchange.getMessage().setBody(batch);
    }

    /**
     * The table sink behind {@code {{table.uri}}}: the profile's {@link TableWriter} (DynamoDB BatchWriteItem, one
     * SQLite transaction), failing the send while any item is not stored for a transient reason, so that the route's
     * error handler sends the batch again (the same keys: idempotent). Poison items are answered, not thrown.
     */
    public static final class TableSink {
        private final TableWriter writer;
        private final Failures failures;

        public TableSink(TableWriter writer, Failures failures) {
            this.writer = writer;
            this.failures = failures;
        }

        /**
         * Writes the items of the exchange's batch (property {@value #BATCH}) that have no failure, read afresh on
         * each attempt: a redelivery never depends on what a failed attempt left in the message body.
         */
        public List<RuntimeException> write(Exchange exchange) {
            Batch batch = exchange.getProperty(BATCH, Batch.class);
            List<ProcessedQuote> quotes = new ArrayList<>();
            batch.ok().forEach(e -> quotes.add(e.quote()));
            List<RuntimeException> results = writer.write(quotes);
            int notStored = 0;
            RuntimeException first = null;
            for (RuntimeException failure : results) {
                if (failure != null && !failures.isPoison(failure)) {
                    notStored++;
                    first = first == null ? failure : first;
                }
            }
            if (first != null) {
                throw new TableNotStored(notStored, quotes.size(), first);
            }
            return results;
        }
    }

    /** Some records of a batch are not stored yet (transient): the send is retried with the route's backoff. */
    public static final class TableNotStored extends RuntimeException {
        TableNotStored(int notStored, int of, Throwable cause) {
            super(notStored + " of " + of + " items not stored (" + cause.getMessage() + ")", cause);
        }
    }

    // ------------------------------------------------------------------ alerts

    /**
     * The alert rule for the stored quotes, in stream order per symbol and day, through the outbox: one conditional
     * write per symbol-day that flipped (its state and its alerts), all in one call ({@link AlertGate#evaluateAll}).
     * A failure fails the step, which is retried with the whole batch (replays change nothing).
     *
     * @return the pending alerts to publish, each once
     */
    public List<PendingAlert> alerts(Exchange exchange) {
        Batch batch = exchange.getMessage().getBody(Batch.class);
        List<ProcessedQuote> stored = new ArrayList<>();
        batch.ok().forEach(e -> stored.add(e.quote()));
        return gate.evaluateAll(stored);
    }

    /** A batch's pending alerts per symbol (in first-seen order), each symbol's in crossing order: published at once. */
    public List<List<PendingAlert>> bySymbol(List<PendingAlert> alerts) {
        java.util.Map<String, List<PendingAlert>> groups = new java.util.LinkedHashMap<>();
        alerts.forEach(a -> groups.computeIfAbsent(a.symbol(), s -> new ArrayList<>()).add(a));
        return new ArrayList<>(groups.values());
    }

    // ------------------------------------------------------------------ lake

    /**
     * The stored quotes' lines per partition, each record now waiting for its line to be written: one group per
     * partition, cut where the partition's object in the lake buffer becomes full ({@link LakeRecords#room}), so
     * that an object never holds more than {@code lake.max-records-per-object} lines.
     */
    public List<LakeGroup> lakeGroups(Exchange exchange) {
        Batch batch = exchange.getMessage().getBody(Batch.class);
        List<LakeGroup> groups = new ArrayList<>();
        batch.lakePartitions(layout).forEach((partition, entries) -> {
            int from = 0;
            int size = Math.min(entries.size(), lake.room(partition));
            while (from < entries.size()) {
                StringBuilder text = new StringBuilder();
                List<String> at = new ArrayList<>(size);
                for (Batch.Entry e : entries.subList(from, from + size)) {
                    StreamRecord r = e.record();
                    if (r.shard() != null && r.sequence() != null) {
                        positions.expectLake(r);
                        at.add(r.position());
                    }
                    if (!text.isEmpty()) {
                        text.append('\n');
                    }
                    text.append(layout.jsonLine(e.quote()));
                }
                groups.add(new LakeGroup(partition, text.toString(), size, at));
                from += size;
                size = Math.min(entries.size() - from, lake.maxLinesPerObject());
            }
        });
        return groups;
    }

    // ------------------------------------------------------------------ outcomes

    /**
     * Every record's outcome is final here: stored (table, outbox; its lake line is acknowledged by the lake), or
     * poison, dead-lettered now through the dead-letter route. A dead letter that cannot be written fails the batch:
     * its records stay before the checkpoint and are read again.
     */
    public void settle(Exchange exchange) {
        Batch batch = exchange.getProperty(BATCH, Batch.class);
        for (Batch.Entry e : batch.entries()) {
            StreamRecord r = e.record();
            if (!e.ok()) {
                if (!e.poison()) {
                    throw new IllegalStateException("record " + r.position() + " is not final: " + e.failure());
                }
                Exchange letter = exchange.copy();
                letter.setException(null);
                letter.getMessage().setBody(null);
                letter.getMessage().setHeader(StreamRecords.PARTITION_KEY, r.partitionKey());
                letter.setProperty(Exchange.EXCEPTION_CAUGHT, e.failure());
                letter.setProperty(Exchange.FAILURE_ROUTE_ID, e.failedStage());
                letter.setProperty(StreamRecords.PROPERTY, r);
                letter.setProperty("symbol", e.quote() == null ? null : e.quote().symbol());
                letter.removeProperty(DeadLetters.INPUT_PROPERTY);
                Exchange sent = producer().send("direct:dead-letter", letter);
                if (sent.getException() != null) {
                    throw new IllegalStateException("dead letter of " + r.position() + " not written",
                            sent.getException());
                }
            }
            if (r.shard() != null && r.sequence() != null) {
                positions.done(r.shard(), r.sequence(), true);
            }
        }
        lastSettled = true;
    }
}
