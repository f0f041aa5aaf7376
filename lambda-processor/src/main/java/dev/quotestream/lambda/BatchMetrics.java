package dev.quotestream.lambda;

import dev.quotestream.core.Batch;
import dev.quotestream.core.Outcome;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

import java.time.Instant;
import java.util.List;

/** One EMF document per batch: what the batch did, its latency and the age of its oldest record. */
final class BatchMetrics {

    private final Environment environment;
    private final String namespace;
    private final String service;
    private final JsonLog log;

    BatchMetrics(Environment environment, String namespace, String service, JsonLog log) {
        this.environment = environment;
        this.namespace = namespace;
        this.service = service;
        this.log = log;
    }

    /** The counts of one batch, from its outcomes. */
    record Tally(int records, int stored, int anomalies, int alerts, int deadLettered, int failed, long maxRecordAgeMs) {

        static Tally of(Batch batch, List<Outcome> outcomes, Instant now) {
            int stored = 0;
            int anomalies = 0;
            int deadLettered = 0;
            int failed = 0;
            long maxAge = 0;
            for (Outcome o : outcomes) {
                switch (o.status()) {
                    case STORED -> {
                        stored++;
                        anomalies += o.quote().anomaly() ? 1 : 0;
                    }
                    case DEAD_LETTERED -> deadLettered++;
                    case RETRY -> failed++;
                }
                if (o.record().arrival() != null) {
                    maxAge = Math.max(maxAge, now.toEpochMilli() - o.record().arrival().toEpochMilli());
                }
            }
            return new Tally(outcomes.size(), stored, anomalies, batch.alertsPublished(), deadLettered, failed, maxAge);
        }
    }

    void emit(Tally tally, long elapsedMs, String requestId) {
        try {
            MetricsLogger emf = new MetricsLogger(environment);
            emf.setNamespace(namespace);
            emf.setDimensions(DimensionSet.of("Service", service));
            emf.putMetric("RecordsProcessed", tally.stored(), Unit.COUNT);
            emf.putMetric("Anomalies", tally.anomalies(), Unit.COUNT);
            emf.putMetric("AlertsPublished", tally.alerts(), Unit.COUNT);
            emf.putMetric("DeadLettered", tally.deadLettered(), Unit.COUNT);
            emf.putMetric("Failures", tally.failed(), Unit.COUNT);
            emf.putMetric("ProcessingLatency", elapsedMs, Unit.MILLISECONDS);
            emf.putMetric("MaxRecordAge", tally.maxRecordAgeMs(), Unit.MILLISECONDS);
            emf.putProperty("BatchSize", tally.records());
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
