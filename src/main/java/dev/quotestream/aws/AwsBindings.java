package dev.quotestream.aws;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.time.Duration;

/**
 * The aws profile's beans: one client per service (see {@link AwsClients}), the DynamoDB encoder and alert
 * state, Kinesis checkpoints, and the opt-in bootstrap. Endpoints in application-aws.properties refer to
 * the clients by name.
 */
public class AwsBindings implements CamelConfiguration {

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
    @PropertyInject("aws.bucket")
    private String bucket;
    @PropertyInject("aws.topic-arn")
    private String topicArn;
    @PropertyInject("aws.bootstrap")
    private boolean bootstrap;
    @PropertyInject("lake.flush-interval-ms")
    private long lakeFlushIntervalMs;
    @PropertyInject("pipeline.max-redeliveries")
    private int maxRedeliveries;
    @PropertyInject("pipeline.redelivery-delay-ms")
    private long redeliveryDelayMs;
    @PropertyInject("pipeline.max-redelivery-delay-ms")
    private long maxRedeliveryDelayMs;

    private AwsClients clients;
    private DynamoDbClient dynamoDb;

    private synchronized AwsClients clients() {
        if (clients == null) {
            if (!cborEnabled) {
                // Kinesis emulators speak JSON only; the SDK reads this switch when it marshals.
                System.setProperty("aws.cborEnabled", "false");
            }
            clients = new AwsClients(region,
                    new AwsClients.Endpoints(kinesisEndpoint, dynamoDbEndpoint, s3Endpoint, snsEndpoint), maxAttempts);
        }
        return clients;
    }

    private synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = clients().dynamoDb();
        }
        return dynamoDb;
    }

    private KinesisClient kinesis;

    private synchronized KinesisClient kinesis() {
        if (kinesis == null) {
            kinesis = clients().kinesis();
        }
        return kinesis;
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
        return clients().s3();
    }

    @BindToRegistry("snsClient")
    public SnsClient snsClient() {
        return clients().sns();
    }

    /** The fetch route's publisher: a cycle's quotes with PutRecords, failed entries retried like a sink write. */
    @BindToRegistry("quotePublisher")
    public KinesisQuotePublisher quotePublisher() {
        return new KinesisQuotePublisher(kinesis(), stream, maxRedeliveries + 1, redeliveryDelayMs,
                maxRedeliveryDelayMs);
    }

    @BindToRegistry("tableItemEncoder")
    public DynamoItems tableItemEncoder() {
        return new DynamoItems();
    }

    @BindToRegistry("alertStateStore")
    public DynamoAlertStateStore alertStateStore() {
        return new DynamoAlertStateStore(dynamoDb(), table);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        if (bootstrap) {
            var registry = context.getRegistry();
            AwsBootstrap.ensureStream(registry.lookupByNameAndType("kinesisClient", KinesisClient.class), stream, streamShards);
            AwsBootstrap.ensureTable(dynamoDb(), table);
            AwsBootstrap.ensureBucket(registry.lookupByNameAndType("s3Client", S3Client.class), bucket);
            AwsBootstrap.ensureTopic(registry.lookupByNameAndType("snsClient", SnsClient.class), topicArn);
        }
        // Checkpoints trail the lake's flush interval, so a crash never skips records still buffered there.
        KinesisCheckpoints checkpoints = new KinesisCheckpoints(dynamoDb(), table, stream, "quote-process",
                Duration.ofMillis(lakeFlushIntervalMs).plusSeconds(10));
        context.getRegistry().bind("kinesisCheckpoints", checkpoints);
        context.addRoutePolicyFactory(checkpoints);
        context.addService(checkpoints, true, true);
    }
}
