package dev.quotestream.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import dev.quotestream.aws.sdk.AwsErrors;
import dev.quotestream.aws.sdk.DynamoAlertOutbox;
import dev.quotestream.aws.sdk.DynamoItems;
import dev.quotestream.aws.sdk.S3Objects;
import dev.quotestream.aws.sdk.SnsAlertPublisher;
import dev.quotestream.core.AlertGate;
import dev.quotestream.core.AlertRelay;
import dev.quotestream.core.DeadLetter;
import dev.quotestream.core.Failures;
import dev.quotestream.core.LakeLayout;
import dev.quotestream.core.ObjectKinds;
import dev.quotestream.core.PendingAlert;
import dev.quotestream.core.QuoteDecoder;
import dev.quotestream.core.StreamRecord;
import dev.quotestream.metrics.AlertMessage;
import dev.quotestream.metrics.InvalidQuoteException;
import dev.quotestream.metrics.ProcessedQuote;
import dev.quotestream.metrics.QuoteMetrics;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Processes one Kinesis batch with the shared core ({@code dev.quotestream.core}: decoder, metrics, alert outbox,
 * dead letters, failure classification) and the shared SDK adapters ({@code dev.quotestream.aws.sdk}), writing the
 * data-contract shapes: the processed record to DynamoDB (PutItem, idempotent), the alert state with its pending
 * alert in one conditional write, the alert to SNS (then marked sent), the raw quotes to the S3 lake, one object per
 * partition per batch.
 *
 * <p>Each record's outcome is decided in one place ({@link #process(List, String)}), by {@link Failures}:
 * <ul>
 *   <li>Stored: table item written, alert (if any) in the outbox and published, lake line written.</li>
 *   <li>Dead-lettered: poison (invalid input, DynamoDB's ValidationException). Its dead letter's key is its shard
 *       and sequence number, so a redelivery overwrites it. It is reported as processed.</li>
 *   <li>Retry: anything transient (throttling, network, a service error, a dead letter or a lake object not written,
 *       an alert not published): its sequence number goes in {@code batchItemFailures}; Lambda retries from it and
 *       every retry re-publishes what the outbox still holds. After MaximumRetryAttempts / MaximumRecordAgeInSeconds
 *       the batch's description goes to the OnFailure destination (an SQS queue in infra/sam.yaml).</li>
 * </ul>
 */
public class QuoteProcessor {

    public static final String STAGE_PROCESS = "quote-process";
    public static final String STAGE_TABLE = "table-sink";
    public static final String STAGE_ALERT = "alert-sink";

    private final ProcessorConfig config;
    private final ServiceClients aws;
    private final Environment metricsEnvironment;
    private final JsonLog log;
    private final Clock clock;
    private final QuoteDecoder decoder = new QuoteDecoder();
    private final QuoteMetrics metrics;
    private final Failures failures = AwsErrors.failures();
    private final AlertGate alertGate;
    private final AlertRelay alerts;
    private final SnsAlertPublisher publisher;
    private final S3Objects objects;
    private final LakeLayout lake;
    private final DynamoItems tableItems = new DynamoItems();

    public QuoteProcessor(ProcessorConfig config, ServiceClients aws, Environment metricsEnvironment, JsonLog log,
                          Clock clock) {
        this.config = config;
        this.aws = aws;
        this.metricsEnvironment = metricsEnvironment;
        this.log = log;
        this.clock = clock;
        this.metrics = new QuoteMetrics(config.anomalyThresholdPercent());
        DynamoAlertOutbox outbox = new DynamoAlertOutbox(aws.dynamoDb(), config.tableName());
        this.alertGate = new AlertGate(outbox, config.anomalyThresholdPercent());
        // No timer here: a pending alert is re-published when its record is retried, or its symbol's state loaded.
        this.alerts = new AlertRelay(outbox, clock, Duration.ofSeconds(1), Duration.ofSeconds(30), List::of);
        this.publisher = new SnsAlertPublisher(aws.sns(), config.topicArn());
        this.objects = new S3Objects(aws.s3(), config.bucketName(), config.sseAlgorithm(), config.sseKmsKeyId());
        this.lake = new LakeLayout(config.lakePrefix());
    }

    /**
     * Runs the processing path once on a built-in quote, without any network call: JSON parsing, the metrics,
     * the DynamoDB/S3/SNS request objects and the JSON writers are loaded and initialised at init, so SnapStart's
     * snapshot holds them and the first batch after a restore does not load them.
     */
    public void prime() {
        try {
            ProcessedQuote quote = metrics.process(decoder.decode(("{\"symbol\":\"PRIME\",\"timestamp\":"
                    + "\"2026-01-02T15:00:00Z\",\"open\":100,\"high\":110.5,\"low\":99.25,\"price\":108,\"volume\":1,"
                    + "\"previous_close\":100,\"currency\":\"USD\",\"exchange_timezone\":\"America/New_York\"}")
                    .getBytes(StandardCharsets.UTF_8)));
            PutItemRequest.builder().tableName(config.tableName()).item(tableItems.encode(quote)).build();
            String line = lake.jsonLine(quote);
            PutObjectRequest.builder().bucket(config.bucketName()).key(lake.objectKey(lake.partition(quote), clock.instant()))
                    .contentType(ObjectKinds.LAKE.contentType()).serverSideEncryption(config.sseAlgorithm()).build();
            LakeLayout.content(List.of(line));
            PendingAlert alert = PendingAlert.of(AlertMessage.of(quote, config.anomalyThresholdPercent(), 1));
            software.amazon.awssdk.services.sns.model.PublishRequest.builder().topicArn(config.topicArn())
                    .subject(alert.subject()).message(alert.json()).build();
            DeadLetter.of(clock.instant(), STAGE_PROCESS, "PRIME", "priming", null, null, line).json();
            failures.isPoison(new InvalidQuoteException("invalid quote PRIME: priming"));
        } catch (Exception e) {
            log.warn("prime_failed", "priming skipped", e);
        }
    }

    /** What one batch did; also what the EMF metrics report. */
    private static final class Tally {
        int stored;
        int anomalies;
        int alerts;
        int deadLettered;
        long maxRecordAgeMs;
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
        Set<String> retry = new LinkedHashSet<>();
        Map<String, List<String>> lines = new LinkedHashMap<>();
        Map<String, List<String>> sequencesByPartition = new LinkedHashMap<>();
        Tally tally = new Tally();
        Instant now = clock.instant();

        for (KinesisEvents.EventRecord event : batch) {
            StreamRecord record = event.record();
            String sequence = record.sequence();
            if (record.arrival() != null) {
                tally.maxRecordAgeMs = Math.max(tally.maxRecordAgeMs, now.toEpochMilli() - record.arrival().toEpochMilli());
            }
            ProcessedQuote quote;
            try {
                if (event.decodeError() != null) {
                    throw new InvalidQuoteException(event.decodeError());
                }
                quote = metrics.process(decoder.decode(record));
            } catch (Exception rejected) {
                if (failures.isPoison(rejected) && deadLetter(STAGE_PROCESS, null, rejected, record, requestId)) {
                    tally.deadLettered++;
                } else {
                    retry(retry, sequence, "record_failed", rejected, null, requestId);
                }
                continue;
            }
            try {
                aws.dynamoDb().putItem(b -> b.tableName(config.tableName()).item(tableItems.encode(quote)));
            } catch (RuntimeException tableFailure) {
                if (failures.isPoison(tableFailure)
                        && deadLetter(STAGE_TABLE, quote.symbol(), tableFailure, record, requestId)) {
                    tally.deadLettered++;
                } else {
                    retry(retry, sequence, "record_failed", tableFailure, quote, requestId);
                }
                continue;
            }
            try {
                for (PendingAlert alert : alertGate.evaluate(quote)) {
                    if (publish(alert, sequence, requestId)) {
                        tally.alerts++;
                    }
                }
            } catch (RuntimeException alertFailure) {
                // The item is stored; the alert is in the outbox (or its state was not written): retry the record.
                retry(retry, sequence, "alert_pending", alertFailure, quote, requestId);
                continue;
            }
            tally.stored++;
            if (quote.anomaly()) {
                tally.anomalies++;
            }
            String partition = lake.partition(quote);
            lines.computeIfAbsent(partition, p -> new ArrayList<>()).add(lake.jsonLine(quote));
            sequencesByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(sequence);
        }

        Instant flushTime = clock.instant();
        lines.forEach((partition, partitionLines) -> {
            String key = lake.objectKey(partition, flushTime);
            try {
                objects.put(key, LakeLayout.content(partitionLines), ObjectKinds.LAKE);
                log.info("lake_object_written", partitionLines.size() + " quotes -> " + key,
                        "key", key, "records", partitionLines.size(), "request_id", requestId);
            } catch (RuntimeException lakeFailure) {
                log.warn("lake_write_failed", "lake object not written; its records will be retried", lakeFailure,
                        "key", key, "request_id", requestId);
                retry.addAll(sequencesByPartition.get(partition));
            }
        });

        List<String> failed = new ArrayList<>();
        for (KinesisEvents.EventRecord event : batch) {
            if (retry.remove(event.record().sequence())) {
                failed.add(event.record().sequence());
            }
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        emitMetrics(batch.size(), tally, failed.size(), elapsedMs, requestId);
        log.info("batch_processed", "processed a batch of " + batch.size() + " records",
                "request_id", requestId, "records", batch.size(), "stored", tally.stored,
                "anomalies", tally.anomalies, "alerts", tally.alerts, "dead_lettered", tally.deadLettered,
                "failed", failed.size(), "duration_ms", elapsedMs);
        return failed;
    }

    private void retry(Set<String> retry, String sequence, String event, Throwable failure, ProcessedQuote quote,
                       String requestId) {
        log.warn(event, "record will be retried by Lambda", failure, "sequence_number", sequence,
                "symbol", quote == null ? null : quote.symbol(), "quote_timestamp", quote == null ? null : quote.timestamp(),
                "request_id", requestId);
        retry.add(sequence);
    }

    /**
     * Publishes one pending alert, then marks it sent. A publish SNS rejects for good (InvalidParameter) is
     * dead-lettered with the alert; anything else throws, and the alert stays pending for the record's retry.
     *
     * @return whether it was published now
     */
    private boolean publish(PendingAlert alert, String sequence, String requestId) {
        if (!alerts.claim(alert)) {
            return false;
        }
        try {
            publisher.publish(alert);
        } catch (RuntimeException publishFailed) {
            if (!failures.isPoison(publishFailed)) {
                alerts.failed(alert);
                throw publishFailed;
            }
            DeadLetter letter = DeadLetter.of(clock.instant(), STAGE_ALERT, alert.symbol(),
                    DeadLetter.reason(publishFailed), DeadLetter.errorType(publishFailed), null, alert.json());
            try {
                objects.put(letter.key(config.deadLetterPrefix()), letter.json(), ObjectKinds.DEAD_LETTER);
            } catch (RuntimeException deadLetterFailed) {
                alerts.failed(alert);
                throw deadLetterFailed;
            }
            alerts.deadLettered(alert);
            log.warn("dead_lettered", "alert rejected by SNS, dead-lettered: " + letter.reason(), publishFailed,
                    "stage", STAGE_ALERT, "symbol", alert.symbol(), "alert_key", alert.key());
            return false;
        }
        alerts.published(alert);
        log.info("alert_published", alert.text(), "symbol", alert.symbol(), "alert_key", alert.key(),
                "sequence_number", sequence, "request_id", requestId);
        return true;
    }

    /** docs/data-contract.md §6: the rejected record with its reason, at a key its redelivery overwrites. */
    private boolean deadLetter(String stage, String symbol, Exception failure, StreamRecord record, String requestId) {
        DeadLetter letter = DeadLetter.ofRecord(clock.instant(), stage, symbol, failure, record);
        String key = letter.key(config.deadLetterPrefix());
        try {
            objects.put(key, letter.json(), ObjectKinds.DEAD_LETTER);
        } catch (RuntimeException deadLetterFailed) {
            log.error("dead_letter_failed", "could not dead-letter a rejected record; reporting it failed",
                    deadLetterFailed, "sequence_number", record.sequence(), "request_id", requestId);
            return false;
        }
        log.warn("dead_lettered", "dead-lettered " + stage + " input: " + letter.reason(), null,
                "stage", stage, "symbol", letter.symbol(), "key", key, "sequence_number", record.sequence());
        return true;
    }

    /** The same wording rule as every dead letter (the root cause, {@link DeadLetter#reason}). */
    static String reason(Throwable failure) {
        return DeadLetter.reason(failure);
    }

    private void emitMetrics(int records, Tally tally, int failures, long elapsedMs, String requestId) {
        try {
            MetricsLogger emf = new MetricsLogger(metricsEnvironment);
            emf.setNamespace(config.metricsNamespace());
            emf.setDimensions(DimensionSet.of("Service", config.serviceName()));
            emf.putMetric("RecordsProcessed", tally.stored, Unit.COUNT);
            emf.putMetric("Anomalies", tally.anomalies, Unit.COUNT);
            emf.putMetric("AlertsPublished", tally.alerts, Unit.COUNT);
            emf.putMetric("DeadLettered", tally.deadLettered, Unit.COUNT);
            emf.putMetric("Failures", failures, Unit.COUNT);
            emf.putMetric("ProcessingLatency", elapsedMs, Unit.MILLISECONDS);
            emf.putMetric("MaxRecordAge", tally.maxRecordAgeMs, Unit.MILLISECONDS);
            emf.putProperty("BatchSize", records);
            if (requestId != null) {
                emf.putProperty("RequestId", requestId);
            }
            emf.flush();
        } catch (Exception metricsFailed) {
            // Metrics must never fail a batch whose data is stored.
            log.warn("metrics_failed", "EMF metrics not written", metricsFailed, "request_id", requestId);
        }
    }
}
