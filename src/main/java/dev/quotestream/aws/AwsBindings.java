package dev.quotestream.aws;

import dev.quotestream.core.aws.AwsClients;
import dev.quotestream.core.aws.AwsErrors;
import dev.quotestream.core.aws.DynamoAlertOutbox;
import dev.quotestream.core.aws.DynamoCheckpointStore;
import dev.quotestream.core.aws.DynamoItems;
import dev.quotestream.core.Failures;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The aws profile's beans: one client per service (the one factory, {@link AwsClients}), the DynamoDB encoder,
 * alert outbox and checkpoint store, Kinesis resume, and the opt-in bootstrap. Endpoints in
 * application-aws.properties refer to the clients by name.
 *
 * <p>Topics: the ARN used is the configured one ({@code aws.topic-arn}, {@code report.topic-arn}); else, with
 * {@code aws.bootstrap=true}, the one bootstrap created or found by name; else the ARN of the topic's name
 * ({@code aws.topic-name}, {@code report.topic-name}) in this account (STS GetCallerIdentity) and region.
 */
public class AwsBindings implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AwsBindings.class);

    @PropertyInject("aws.region")
    private String region;
    @PropertyInject(value = "aws.kinesis-endpoint", defaultValue = "")
    private String kinesisEndpoint;
    @PropertyInject(value = "aws.dynamodb-endpoint", defaultValue = "")
    private String dynamoDbEndpoint;
    @PropertyInject(value = "aws.s3-endpoint", defaultValue = "")
    private String s3Endpoint;
    @PropertyInject(value = "aws.sns-endpoint", defaultValue = "")
    private String snsEndpoint;
    @PropertyInject(value = "aws.sts-endpoint", defaultValue = "")
    private String stsEndpoint;
    @PropertyInject("aws.sdk-max-attempts")
    private int maxAttempts;
    @PropertyInject("aws.cbor-enabled")
    private boolean cborEnabled;
    @PropertyInject("aws.stream")
    private String stream;
    @PropertyInject("aws.stream-shards")
    private int streamShards;
    @PropertyInject("aws.table")
    private String table;
    @PropertyInject("table.write-concurrency")
    private int tableWriteConcurrency;
    @PropertyInject("aws.bucket")
    private String bucket;
    @PropertyInject(value = "aws.topic-arn", defaultValue = "")
    private String topicArn;
    @PropertyInject(value = "aws.topic-name", defaultValue = "stock-quote-alerts")
    private String topicName;
    @PropertyInject(value = "report.topic-arn", defaultValue = "")
    private String reportTopicArn;
    @PropertyInject(value = "report.topic-name", defaultValue = "stock-quote-reports")
    private String reportTopicName;
    @PropertyInject("aws.bootstrap")
    private boolean bootstrap;
    @PropertyInject("pipeline.max-redeliveries")
    private int maxRedeliveries;
    @PropertyInject("pipeline.redelivery-delay-ms")
    private long redeliveryDelayMs;
    @PropertyInject("pipeline.max-redelivery-delay-ms")
    private long maxRedeliveryDelayMs;

    private AwsClients clients;
    private DynamoDbClient dynamoDb;
    private KinesisClient kinesis;
    private S3Client s3;
    private SnsClient sns;

    private synchronized AwsClients clients() {
        if (clients == null) {
            if (!cborEnabled) {
                // Kinesis emulators speak JSON only; the SDK reads this switch when it marshals.
                System.setProperty("aws.cborEnabled", "false");
            }
            clients = new AwsClients(region, new AwsClients.Endpoints(kinesisEndpoint, dynamoDbEndpoint, s3Endpoint,
                    snsEndpoint, stsEndpoint), maxAttempts);
        }
        return clients;
    }

    private synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = clients().dynamoDb();
        }
        return dynamoDb;
    }

    private synchronized KinesisClient kinesis() {
        if (kinesis == null) {
            kinesis = clients().build(KinesisClient.builder(), clients().endpoints().kinesis());
        }
        return kinesis;
    }

    private synchronized S3Client s3() {
        if (s3 == null) {
            s3 = clients().s3();
        }
        return s3;
    }

    private synchronized SnsClient sns() {
        if (sns == null) {
            sns = clients().sns();
        }
        return sns;
    }

    @BindToRegistry("kinesisClient")
    public KinesisClient kinesisClient() {
        return kinesis();
    }

    @BindToRegistry("dynamoDbClient")
    public DynamoDbClient dynamoDbClient() {
        return dynamoDb();
    }

    @BindToRegistry("s3Client")
    public S3Client s3Client() {
        return s3();
    }

    @BindToRegistry("snsClient")
    public SnsClient snsClient() {
        return sns();
    }

    /** The fetch route's publisher: a cycle's quotes with PutRecords, failed entries retried like a sink write. */
    @BindToRegistry("quotePublisher")
    public KinesisQuotePublisher quotePublisher() {
        return new KinesisQuotePublisher(kinesis(), stream, maxRedeliveries + 1, redeliveryDelayMs,
                maxRedeliveryDelayMs);
    }

    /** The table sink of a batch: BatchWriteItem, 25 items per call, unprocessed items retried (the core's adapter). */
    @BindToRegistry("tableWriter")
    public dev.quotestream.core.aws.DynamoTableWriter tableWriter() {
        var writer = new dev.quotestream.core.aws.DynamoTableWriter(dynamoDb(), table);
        if (tableWriteConcurrency < 1) {
            throw new IllegalArgumentException("table.write-concurrency must be at least 1, was " + tableWriteConcurrency);
        }
        if (tableWriteConcurrency == 1) {
            return writer;
        }
        // A batch of 1000 records is 40 BatchWriteItem calls: made this many at a time, not one after the other.
        return writer.concurrently(java.util.concurrent.Executors.newFixedThreadPool(tableWriteConcurrency, r -> {
            Thread t = new Thread(r, "table-calls");
            t.setDaemon(true);
            return t;
        }));
    }

    @BindToRegistry("tableItemEncoder")
    public DynamoItems tableItemEncoder() {
        return new DynamoItems();
    }

    @BindToRegistry("alertOutbox")
    public DynamoAlertOutbox alertOutbox() {
        return new DynamoAlertOutbox(dynamoDb(), table);
    }

    /** Poison or transient, with DynamoDB's and SNS's error codes. */
    @BindToRegistry("failures")
    public Failures failures() {
        return AwsErrors.failures();
    }

    @BindToRegistry("checkpointStore")
    public DynamoCheckpointStore checkpointStore() {
        return new DynamoCheckpointStore(dynamoDb(), table, stream);
    }

    @BindToRegistry("streamResume")
    public KinesisResume streamResume() {
        return new KinesisResume(checkpointStore(), stream);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        if (bootstrap) {
            AwsBootstrap.ensureStream(kinesis(), stream, streamShards);
            AwsBootstrap.ensureTable(dynamoDb(), table);
            AwsBootstrap.ensureBucket(s3(), bucket);
        }
        // The routes' endpoints read these: the ARNs bootstrap created or found, or the names' ARNs here.
        var properties = context.getPropertiesComponent();
        properties.addOverrideProperty("aws.topic-arn", topic(topicArn, topicName));
        properties.addOverrideProperty("report.topic-arn", topic(reportTopicArn, reportTopicName));
    }

    private String account;

    private String topic(String configuredArn, String name) {
        String configured = configuredArn == null ? "" : configuredArn.trim();
        if (configured.isEmpty() && (name == null || name.isBlank())) {
            return "";  // no topic configured (the reports topic is optional)
        }
        String arn;
        if (bootstrap) {
            arn = AwsBootstrap.ensureTopic(sns(), configured.isEmpty() ? null : configured, name);
        } else if (!configured.isEmpty()) {
            arn = configured;
        } else {
            arn = "arn:aws:sns:" + region + ":" + account() + ":" + name;
        }
        LOG.info("SNS topic {}: {}", name, arn);
        return arn;
    }

    /** The account of the credentials in use (STS GetCallerIdentity needs no permission). */
    private synchronized String account() {
        if (account == null) {
            try (StsClient sts = clients().build(StsClient.builder(), clients().endpoints().sts())) {
                account = sts.getCallerIdentity().account();
            }
        }
        return account;
    }
}
