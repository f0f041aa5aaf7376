package dev.quotestream.pipeline;

import dev.quotestream.core.AlertGate;
import dev.quotestream.core.Batch;
import dev.quotestream.core.BatchProcessor;
import dev.quotestream.core.Failures;
import dev.quotestream.core.LakeLayout;
import dev.quotestream.core.PendingAlert;
import dev.quotestream.core.StreamPositions;
import dev.quotestream.core.StreamRecord;
import dev.quotestream.core.metrics.ProcessedQuote;
import dev.quotestream.core.metrics.QuoteMetrics;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The route side of the one processing core ({@link BatchProcessor}): what one poll of the stream returns becomes one
 * {@link Batch} (this is the aggregation strategy), decided by the core, then written by the sink routes of the
 * multicast (routes/quote-process.yaml), each with the whole batch:
 * <ul>
 *   <li>{@link #writeTable}: the batch's items in one send to {@code {{table.uri}}} (DynamoDB BatchWriteItem, or one
 *       SQLite transaction); a record not stored yet makes the step fail, so the route's error handler retries it;</li>
 *   <li>{@link #alerts}: the alert rule in stream order through the outbox; the pending alerts go to alert-publish;</li>
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
    private static final String ALERTS_EVALUATED = "alertsEvaluated";
    private static final String ALERTS_FOUND = "alertsFound";

    /** One partition's lines of a batch, with the records' stream positions ({@code shard/sequence}). */
    public record LakeGroup(String partition, String text, int count, List<String> positions) {
    }

    private final CamelContext context;
    private final BatchProcessor core;
    private final AlertGate gate;
    private final StreamPositions positions;
    private final LakeLayout layout;
    private final String tableUri;
    private ProducerTemplate producer;

    public StreamBatches(CamelContext context, QuoteMetrics metrics, Failures failures, AlertGate gate,
                         StreamPositions positions, LakeLayout layout, String tableUri) {
        this.context = context;
        this.gate = gate;
        this.positions = positions;
        this.layout = layout;
        this.tableUri = tableUri;
        // Only decide and the table stage run in the core here: alerts, the lake and dead letters are routes.
        this.core = new BatchProcessor(metrics, failures, gate, null, this::sendToTable, null, null, null, layout,
                Clock.systemUTC(), 1, null);
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

    /** Decodes, checks and computes every record of the batch (no I/O); poison records are dead-lettered at settle. */
    public Batch decide(Exchange exchange) {
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

    /** The batch's items not stored yet, in one send to the table; throws while any record is not stored. */
    public void writeTable(Exchange exchange) {
        Batch batch = exchange.getMessage().getBody(Batch.class);
        int before = batch.ok().size();
        core.writeTable(batch);
        exchange.getMessage().setHeader(TABLE_RECORDS, batch.ok().size());
        Throwable transientFailure = batch.retryTransient(BatchProcessor.STAGE_TABLE);
        if (transientFailure != null) {
            throw new TableNotStored(before - batch.ok().size(), transientFailure);
        }
    }

    private List<RuntimeException> sendToTable(List<ProcessedQuote> quotes) {
        @SuppressWarnings("unchecked")
        List<RuntimeException> results = producer().requestBody(tableUri, quotes, List.class);
        return results;
    }

    /** Some records of a batch are not stored yet (transient): the step is retried with the route's backoff. */
    public static final class TableNotStored extends RuntimeException {
        TableNotStored(int poison, Throwable cause) {
            super("table write not complete (" + cause + ")" + (poison > 0 ? "; " + poison + " poison" : ""), cause);
        }
    }

    // ------------------------------------------------------------------ alerts

    /**
     * The alert rule for each stored quote, in stream order, through the outbox (a flip and its alert are one
     * conditional write); a state write that fails makes the step fail and be retried from that record on.
     *
     * @return the pending alerts to publish, each once
     */
    public List<PendingAlert> alerts(Exchange exchange) {
        Batch batch = exchange.getMessage().getBody(Batch.class);
        Integer done = exchange.getProperty(ALERTS_EVALUATED, Integer.class);
        @SuppressWarnings("unchecked")
        Map<String, PendingAlert> found = exchange.getProperty(ALERTS_FOUND, Map.class);
        if (found == null) {
            found = new LinkedHashMap<>();
            exchange.setProperty(ALERTS_FOUND, found);
        }
        List<Batch.Entry> stored = batch.ok();
        for (int i = done == null ? 0 : done; i < stored.size(); i++) {
            for (PendingAlert alert : gate.evaluate(stored.get(i).quote())) {
                found.putIfAbsent(alert.key(), alert);
            }
            exchange.setProperty(ALERTS_EVALUATED, i + 1);
        }
        return new ArrayList<>(found.values());
    }

    // ------------------------------------------------------------------ lake

    /** The stored quotes' lines per partition; each record now waits for its line to be written. */
    public List<LakeGroup> lakeGroups(Exchange exchange) {
        Batch batch = exchange.getMessage().getBody(Batch.class);
        List<LakeGroup> groups = new ArrayList<>();
        batch.lakePartitions(layout).forEach((partition, entries) -> {
            StringBuilder text = new StringBuilder();
            List<String> at = new ArrayList<>(entries.size());
            for (Batch.Entry e : entries) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(layout.jsonLine(e.quote()));
                StreamRecord r = e.record();
                if (r.shard() != null && r.sequence() != null) {
                    positions.expectLake(r);
                    at.add(r.position());
                }
            }
            groups.add(new LakeGroup(partition, text.toString(), entries.size(), at));
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
    }
}
