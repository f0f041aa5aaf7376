package dev.quotestream.lambda;

import dev.quotestream.core.metrics.QuoteMetrics;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The processor's settings, from the function's environment variables (set by infra/sam.yaml).
 *
 * @param sseAlgorithm   S3 server-side encryption requested on every object: {@code AES256} or {@code aws:kms}
 * @param sseKmsKeyId    the KMS key for {@code aws:kms}; null means the bucket's/AWS-managed key
 */
public record ProcessorConfig(String tableName, String bucketName, String topicArn,
                              BigDecimal anomalyThresholdPercent, String lakePrefix, String deadLetterPrefix,
                              String sseAlgorithm, String sseKmsKeyId, String metricsNamespace,
                              String serviceName) {

    public static ProcessorConfig fromEnvironment(Map<String, String> env) {
        return new ProcessorConfig(
                required(env, "TABLE_NAME"),
                required(env, "BUCKET_NAME"),
                required(env, "TOPIC_ARN"),
                new BigDecimal(env.getOrDefault("ANOMALY_THRESHOLD_PERCENT",
                        QuoteMetrics.DEFAULT_ANOMALY_THRESHOLD_PERCENT.toPlainString())),
                env.getOrDefault("LAKE_PREFIX", "raw"),
                env.getOrDefault("DEAD_LETTER_PREFIX", "dead-letter"),
                env.getOrDefault("S3_SSE", "AES256"),
                blankToNull(env.get("S3_SSE_KMS_KEY_ID")),
                env.getOrDefault("METRICS_NAMESPACE", "QuoteStream"),
                env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "quote-processor"));
    }

    /** Test and benchmark settings: defaults for everything but the three resource names. */
    public static ProcessorConfig of(String tableName, String bucketName, String topicArn) {
        return new ProcessorConfig(tableName, bucketName, topicArn,
                QuoteMetrics.DEFAULT_ANOMALY_THRESHOLD_PERCENT, "raw", "dead-letter", "AES256", null,
                "QuoteStream", "quote-processor");
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
