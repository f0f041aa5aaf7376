package dev.quotestream.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quotestream.aws.DynamoAlertStateStore;
import dev.quotestream.aws.DynamoItems;
import dev.quotestream.metrics.InvalidQuoteException;
import dev.quotestream.metrics.ProcessedQuote;
import dev.quotestream.metrics.Quote;
import dev.quotestream.metrics.QuoteMetrics;
import dev.quotestream.pipeline.AlertGate;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Processes one Kinesis batch with the shared metrics bean, writing the data-contract shapes:
 * the processed record to DynamoDB (PutItem, idempotent), the alert state (compare-and-set, before the
 * alert) and the alert to SNS, and the raw quotes to the S3 lake, one object per partition per batch.
 *
 * <p>Batch semantics (ReportBatchItemFailures):
 * <ul>
 *   <li>A record that can never succeed (not JSON, not a valid quote: {@link InvalidQuoteException},
 *       {@link JsonProcessingException}) is written, with its reason, to the dead letter
 *       {@code dead-letter/dt=YYYY-MM-DD/quote-process/<HHmmssSSS>-<sequence number>.json} in the bucket
 *       and then reported as processed, so it does not block its shard.</li>
 *   <li>Any other failure (throttling, network, a service error, and a dead-letter write that failed) is
 *       transient: the record's sequence number is returned in {@code batchItemFailures}; Lambda retries
 *       from it, bisects, and after MaximumRetryAttempts / MaximumRecordAgeInSeconds sends the batch's
 *       description to the event source's OnFailure destination (an SQS queue in infra/sam.yaml).</li>
 *   <li>Writes are idempotent (PutItem by key; alert state compare-and-set on last_timestamp, so a
 *       redelivered quote is a replay and never alerts twice). The lake is at-least-once, as on the
 *       Camel side: a redelivered batch may write its lines to a second object.</li>
 * </ul>
 */
public class QuoteProcessor {

    public static final String STAGE_PROCESS = "quote-process";
    public static final String STAGE_ALERT = "alert-sink";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter DEAD_LETTER_TIME =
            DateTimeFormatter.ofPattern("HHmmssSSS").withZone(ZoneOffset.UTC);

    private final ProcessorConfig config;
    private final AwsClients aws;
    private final Environment metricsEnvironment;
    private final JsonLog log;
    private final Clock clock;
    private final QuoteMetrics metrics;
    private final AlertGate alertGate;
    private final LakeObjects lake;
    private final DynamoItems tableItems = new DynamoItems();

    public QuoteProcessor(ProcessorConfig config, AwsClients aws, Environment metricsEnvironment, JsonLog log,
                          Clock clock) {
        this.config = config;
        this.aws = aws;
        this.metricsEnvironment = metricsEnvironment;
        this.log = log;
        this.clock = clock;
        this.metrics = new QuoteMetrics(config.anomalyThresholdPercent());
        this.alertGate = new AlertGate(new DynamoAlertStateStore(aws.dynamoDb(), config.tableName()),
                config.anomalyThresholdPercent());
        this.lake = new LakeObjects(config.lakePrefix());
    }

    /**
     * Runs the processing path once on a built-in quote, without any network call: JSON parsing, the
     * metrics, the DynamoDB/S3/SNS request objects and the JSON writers are loaded and initialised at init,
     * so SnapStart's snapshot holds them and the first batch after a restore does not load them.
     */
    public void prime() {
        try {
            ProcessedQuote quote = parse("{\"symbol\":\"PRIME\",\"timestamp\":\"2026-01-02T15:00:00Z\",\"open\":100,"
                    + "\"high\":110.5,\"low\":99.25,\"price\":108,\"volume\":1,\"previous_close\":100,"
                    + "\"currency\":\"USD\",\"exchange_timezone\":\"America/New_York\"}");
            PutItemRequest.builder().tableName(config.tableName()).item(tableItems.encode(quote)).build();
            String line = lake.jsonLine(quote);
            PutObjectRequest.builder().bucket(config.bucketName()).key(lake.objectKey(lake.partition(quote), clock.instant()))
                    .contentType("application/x-ndjson").serverSideEncryption(config.sseAlgorithm()).build();
            RequestBody.fromString(LakeObjects.content(List.of(line)), StandardCharsets.UTF_8);
            Map<String, Object> alert = dev.quotestream.metrics.AlertMessage.of(quote, config.anomalyThresholdPercent(), 1)
                    .toAttributes();
            software.amazon.awssdk.services.sns.model.PublishRequest.builder().topicArn(config.topicArn())
                    .subject((String) alert.get("subject")).message(json(alert))
                    .messageAttributes(Map.of("symbol", stringAttribute(quote.symbol()))).build();
            reason(new InvalidQuoteException("invalid quote PRIME: priming"));
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

    public StreamsEventResponse process(KinesisEvent event, String requestId) {
        long started = System.nanoTime();
        List<KinesisEvent.KinesisEventRecord> records = event == null || event.getRecords() == null
                ? List.of() : event.getRecords();
        Set<String> failed = new LinkedHashSet<>();
        Map<String, List<String>> lines = new LinkedHashMap<>();
        Map<String, List<String>> sequencesByPartition = new LinkedHashMap<>();
        Tally tally = new Tally();
        Instant now = clock.instant();

        for (KinesisEvent.KinesisEventRecord record : records) {
            KinesisEvent.Record kinesis = record.getKinesis();
            String sequence = kinesis.getSequenceNumber();
            if (kinesis.getApproximateArrivalTimestamp() != null) {
                tally.maxRecordAgeMs = Math.max(tally.maxRecordAgeMs,
                        now.toEpochMilli() - kinesis.getApproximateArrivalTimestamp().getTime());
            }
            String input = utf8(kinesis.getData());
            ProcessedQuote quote;
            try {
                quote = parse(input);
            } catch (InvalidQuoteException | JsonProcessingException poison) {
                try {
                    deadLetter(STAGE_PROCESS, symbolOf(input), poison, input, sequence);
                    tally.deadLettered++;
                } catch (RuntimeException deadLetterFailed) {
                    log.error("dead_letter_failed", "could not dead-letter a poison record; reporting it failed",
                            deadLetterFailed, "sequence_number", sequence, "request_id", requestId);
                    failed.add(sequence);
                }
                continue;
            }
            try {
                aws.dynamoDb().putItem(b -> b.tableName(config.tableName()).item(tableItems.encode(quote)));
                tally.stored++;
                if (quote.anomaly()) {
                    tally.anomalies++;
                }
                Map<String, Object> alert = alertGate.evaluate(quote);
                if (alert != null && publish(alert, sequence, requestId)) {
                    tally.alerts++;
                }
                String partition = lake.partition(quote);
                lines.computeIfAbsent(partition, p -> new ArrayList<>()).add(lake.jsonLine(quote));
                sequencesByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(sequence);
            } catch (RuntimeException transientFailure) {
                log.warn("record_failed", "record will be retried by Lambda", transientFailure,
                        "sequence_number", sequence, "symbol", quote.symbol(), "quote_timestamp", quote.timestamp(),
                        "request_id", requestId);
                failed.add(sequence);
            }
        }

        Instant flushTime = clock.instant();
        lines.forEach((partition, partitionLines) -> {
            String key = lake.objectKey(partition, flushTime);
            try {
                putObject(key, LakeObjects.content(partitionLines), "application/x-ndjson");
                log.info("lake_object_written", partitionLines.size() + " quotes -> " + key,
                        "key", key, "records", partitionLines.size(), "request_id", requestId);
            } catch (RuntimeException lakeFailure) {
                log.warn("lake_write_failed", "lake object not written; its records will be retried", lakeFailure,
                        "key", key, "request_id", requestId);
                failed.addAll(sequencesByPartition.get(partition));
            }
        });

        List<BatchItemFailure> failures = new ArrayList<>();
        for (KinesisEvent.KinesisEventRecord record : records) {
            String sequence = record.getKinesis().getSequenceNumber();
            if (failed.remove(sequence)) {
                failures.add(BatchItemFailure.builder().withItemIdentifier(sequence).build());
            }
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        emitMetrics(records.size(), tally, failures.size(), elapsedMs, requestId);
        log.info("batch_processed", "processed a batch of " + records.size() + " records",
                "request_id", requestId, "records", records.size(), "stored", tally.stored,
                "anomalies", tally.anomalies, "alerts", tally.alerts, "dead_lettered", tally.deadLettered,
                "failed", failures.size(), "duration_ms", elapsedMs);
        return StreamsEventResponse.builder().withBatchItemFailures(failures).build();
    }

    /** Exactly the Camel route's parsing: JSON object to Map, Quote.fromAttributes, QuoteMetrics.process. */
    ProcessedQuote parse(String input) throws JsonProcessingException {
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = MAPPER.readValue(input, Map.class);
        return metrics.process(Quote.fromAttributes(attributes));
    }

    /** @return whether the alert was published; a failed publish is dead-lettered with the alert instead */
    private boolean publish(Map<String, Object> alert, String sequence, String requestId) {
        String message = json(alert);
        try {
            aws.sns().publish(b -> b.topicArn(config.topicArn())
                    .subject((String) alert.get("subject"))
                    .message(message)
                    .messageAttributes(Map.of(
                            "symbol", stringAttribute((String) alert.get("symbol")),
                            "severity", stringAttribute((String) alert.get("severity")))));
            log.info("alert_published", (String) alert.get("message"), "symbol", alert.get("symbol"),
                    "severity", alert.get("severity"), "crossing", alert.get("crossing"),
                    "sequence_number", sequence, "request_id", requestId);
            return true;
        } catch (RuntimeException publishFailed) {
            // The state already says "alerted": never re-send, keep the alert in the dead letter instead.
            try {
                deadLetter(STAGE_ALERT, (String) alert.get("symbol"), publishFailed, message, sequence);
            } catch (RuntimeException deadLetterFailed) {
                log.error("alert_lost", "alert neither published nor dead-lettered: " + message, deadLetterFailed,
                        "symbol", alert.get("symbol"), "sequence_number", sequence, "request_id", requestId);
            }
            return false;
        }
    }

    private static MessageAttributeValue stringAttribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    /** docs/data-contract.md §6: the rejected input, with its reason, once. */
    private void deadLetter(String stage, String symbol, Exception failure, String input, String sequence) {
        Instant failedAt = clock.instant();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("failed_at", failedAt.toString());
        record.put("stage", stage);
        record.put("symbol", symbol);
        record.put("reason", reason(failure));
        record.put("error_type", failure.getClass().getName());
        record.put("http_status", null);
        record.put("input", input);
        String key = config.deadLetterPrefix() + "/dt=" + failedAt.atZone(ZoneOffset.UTC).toLocalDate() + "/"
                + stage + "/" + DEAD_LETTER_TIME.format(failedAt) + "-" + sequence + ".json";
        putObject(key, json(record), "application/json");
        log.warn("dead_lettered", "dead-lettered " + stage + " input: " + record.get("reason"), null,
                "stage", stage, "symbol", symbol, "key", key, "sequence_number", sequence);
    }

    /** The same wording rule as the Camel side's DeadLetters. */
    static String reason(Throwable failure) {
        String message = failure.getMessage();
        String type = failure.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return type;
        }
        return message.startsWith("invalid") ? message : type + ": " + message;
    }

    private void putObject(String key, String content, String contentType) {
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(config.bucketName()).key(key)
                .contentType(contentType).serverSideEncryption(config.sseAlgorithm());
        if (config.sseKmsKeyId() != null) {
            put.ssekmsKeyId(config.sseKmsKeyId());
        }
        aws.s3().putObject(put.build(), RequestBody.fromString(content, StandardCharsets.UTF_8));
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

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String utf8(ByteBuffer data) {
        if (data == null) {
            return "";
        }
        ByteBuffer copy = data.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Best effort, for the dead letter only: the symbol of a record that failed validation. */
    private static String symbolOf(String input) {
        try {
            Object symbol = MAPPER.readTree(input).path("symbol").textValue();
            return symbol instanceof String s ? s : null;
        } catch (Exception notJson) {
            return null;
        }
    }
}
