package dev.quotestream.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import dev.quotestream.core.AlertGate;
import dev.quotestream.core.AlertRelay;
import dev.quotestream.core.Batch;
import dev.quotestream.core.BatchProcessor;
import dev.quotestream.core.CachedAlertOutbox;
import dev.quotestream.core.DeadLetter;
import dev.quotestream.core.LakeLayout;
import dev.quotestream.core.ObjectKinds;
import dev.quotestream.core.Outcome;
import dev.quotestream.core.PendingAlert;
import dev.quotestream.core.QuoteDecoder;
import dev.quotestream.core.StreamRecord;
import dev.quotestream.core.aws.AwsErrors;
import dev.quotestream.core.aws.DynamoAlertOutbox;
import dev.quotestream.core.aws.DynamoItems;
import dev.quotestream.core.aws.DynamoTableWriter;
import dev.quotestream.core.aws.S3DeadLetterWriter;
import dev.quotestream.core.aws.S3LakeWriter;
import dev.quotestream.core.aws.S3Objects;
import dev.quotestream.core.aws.SnsAlertPublisher;
import dev.quotestream.core.metrics.AlertMessage;
import dev.quotestream.core.metrics.InvalidQuoteException;
import dev.quotestream.core.metrics.ProcessedQuote;
import dev.quotestream.core.metrics.QuoteMetrics;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.cloudwatchlogs.emf.environment.Environment;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Lambda's binding of the one processing core ({@link BatchProcessor}): the SDK adapters of
 * {@code dev.quotestream.core.aws} as its ports (DynamoDB BatchWriteItem, one S3 object per lake partition per batch,
 * SNS through the outbox, S3 dead letters), the alert state in memory, read afresh for each batch's symbol-days (one
 * consistent BatchGetItem per 100: Lambda may run a shard's batches in different containers), and the batch's
 * answer: the sequence numbers whose outcome is {@code RETRY} ({@code batchItemFailures}), the records held back
 * behind a failed one included. Each record's outcome is decided by the core ({@link Batch#outcomes()}); this class
 * only translates it, logs and measures.
 */
public class QuoteProcessor {

    public static final String STAGE_PROCESS = BatchProcessor.STAGE_PROCESS;
    public static final String STAGE_TABLE = BatchProcessor.STAGE_TABLE;
    public static final String STAGE_ALERT = BatchProcessor.STAGE_ALERT;
    /** Symbol-days of alert state kept in memory per container. */
    static final int ALERT_STATES_IN_MEMORY = 50_000;
    /** Alerts and lake objects written at once: a batch of 10 records of 10 symbols is 10 lake objects. */
    static final int IO_PARALLELISM = 16;
    /** BatchWriteItem calls of one batch made at once (a batch of 100 is 4 calls of 25). */
    static final int TABLE_CALLS_AT_ONCE = 4;

    private final ProcessorConfig config;
    private final JsonLog log;
    private final Clock clock;
    private final BatchProcessor core;
    private final BatchLog events;
    private final BatchMetrics metrics;

    public QuoteProcessor(ProcessorConfig config, ServiceClients aws, Environment metricsEnvironment, JsonLog log,
                          Clock clock) {
        this.config = config;
        this.log = log;
        this.clock = clock;
        CachedAlertOutbox outbox = new CachedAlertOutbox(new DynamoAlertOutbox(aws.dynamoDb(), config.tableName()),
                ALERT_STATES_IN_MEMORY);
        // No timer here: a pending alert is re-published when its record is retried, or its symbol's state loaded.
        AlertRelay relay = new AlertRelay(outbox, clock, Duration.ofSeconds(1), Duration.ofSeconds(30), List::of);
        S3Objects objects = new S3Objects(aws.s3(), config.bucketName(), config.sseAlgorithm(), config.sseKmsKeyId());
        LakeLayout layout = new LakeLayout(config.lakePrefix());
        this.events = new BatchLog(log, config.deadLetterPrefix());
        this.core = new BatchProcessor(new QuoteMetrics(config.anomalyThresholdPercent()), AwsErrors.failures(),
                new AlertGate(outbox, config.anomalyThresholdPercent()), relay,
                new DynamoTableWriter(aws.dynamoDb(), config.tableName()).concurrently(
                        java.util.concurrent.Executors.newFixedThreadPool(TABLE_CALLS_AT_ONCE, r -> {
                            Thread t = new Thread(r, "table-calls");
                            t.setDaemon(true);
                            return t;
                        })),
                new SnsAlertPublisher(aws.sns(), config.topicArn()), new S3LakeWriter(objects, layout),
                new S3DeadLetterWriter(objects, config.deadLetterPrefix()), layout, clock, IO_PARALLELISM, events);
        this.metrics = new BatchMetrics(metricsEnvironment, config.metricsNamespace(), config.serviceName(), log);
    }

    /**
     * Runs the processing path once on a built-in quote, without any network call: JSON parsing, the metrics,
     * the DynamoDB/S3/SNS request objects and the JSON writers are loaded and initialised at init, so SnapStart's
     * snapshot holds them and the first batch after a restore does not load them.
     */
    public void prime() {
        try {
            ProcessedQuote quote = new QuoteMetrics(config.anomalyThresholdPercent()).process(new QuoteDecoder().decode((
                    "{\"symbol\":\"PRIME\",\"timestamp\":\"2026-01-02T15:00:00Z\",\"open\":100,\"high\":110.5,"
                    + "\"low\":99.25,\"price\":108,\"volume\":1,\"previous_close\":100,\"currency\":\"USD\","
                    + "\"exchange_timezone\":\"America/New_York\"}").getBytes(StandardCharsets.UTF_8)));
            BatchWriteItemRequest.builder().requestItems(Map.of(config.tableName(), List.of(WriteRequest.builder()
                    .putRequest(PutRequest.builder().item(new DynamoItems().encode(quote)).build()).build()))).build();
            LakeLayout lake = core.layout();
            String line = lake.jsonLine(quote);
            PutObjectRequest.builder().bucket(config.bucketName()).key(lake.objectKey(lake.partition(quote), clock.instant()))
                    .contentType(ObjectKinds.LAKE.contentType()).serverSideEncryption(config.sseAlgorithm()).build();
            LakeLayout.content(List.of(line));
            PendingAlert alert = PendingAlert.of(AlertMessage.of(quote, config.anomalyThresholdPercent(), 1));
            software.amazon.awssdk.services.sns.model.PublishRequest.builder().topicArn(config.topicArn())
                    .subject(alert.subject()).message(alert.json()).build();
            DeadLetter.of(clock.instant(), STAGE_PROCESS, "PRIME", "priming", null, null, line).json();
            AwsErrors.failures().isPoison(new InvalidQuoteException("invalid quote PRIME: priming"));
        } catch (Exception e) {
            log.warn("prime_failed", "priming skipped", e);
        }
    }

    /** The events library's type (tests, benchmarks): same processing. */
    public StreamsEventResponse process(KinesisEvent event, String requestId) {
        List<BatchItemFailure> failures = new ArrayList<>();
        for (String sequence : process(KinesisEvents.of(event), requestId)) {
            failures.add(BatchItemFailure.builder().withItemIdentifier(sequence).build());
        }
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    /** @return the sequence numbers to retry (batchItemFailures), in batch order */
    public List<String> process(List<KinesisEvents.EventRecord> batch, String requestId) {
        long started = System.nanoTime();
        events.requestId(requestId);
        List<StreamRecord> records = new ArrayList<>(batch.size());
        Map<StreamRecord, String> unreadable = new IdentityHashMap<>();
        for (KinesisEvents.EventRecord event : batch) {
            records.add(event.record());
            if (event.decodeError() != null) {
                unreadable.put(event.record(), event.decodeError());
            }
        }
        Batch done = core.process(records, unreadable::get);
        List<Outcome> outcomes = done.outcomes();
        List<String> failed = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.status() == Outcome.Status.RETRY) {
                failed.add(outcome.record().sequence());
                log.warn("record_failed", "record will be retried by Lambda: " + outcome.reason(), null,
                        "sequence_number", outcome.record().sequence(),
                        "symbol", outcome.quote() == null ? null : outcome.quote().symbol(),
                        "quote_timestamp", outcome.quote() == null ? null : outcome.quote().timestamp(),
                        "request_id", requestId);
            }
        }
        long elapsedMs = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        BatchMetrics.Tally tally = BatchMetrics.Tally.of(done, outcomes, clock.instant());
        metrics.emit(tally, elapsedMs, requestId);
        log.info("batch_processed", "processed a batch of " + batch.size() + " records",
                "request_id", requestId, "records", batch.size(), "stored", tally.stored(),
                "anomalies", tally.anomalies(), "alerts", tally.alerts(), "dead_lettered", tally.deadLettered(),
                "failed", failed.size(), "duration_ms", elapsedMs);
        return failed;
    }

    /** The same wording rule as every dead letter (the root cause, {@link DeadLetter#reason}). */
    static String reason(Throwable failure) {
        return DeadLetter.reason(failure);
    }
}
