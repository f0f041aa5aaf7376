package dev.quotestream.aws;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;

import java.time.Duration;
import java.time.Instant;

/**
 * Opt-in ({@code aws.bootstrap=true}) creation of the stream, table, bucket and topic for emulators and
 * sandbox accounts. It only creates what is missing and never modifies an existing resource. The topic's ARN
 * is whatever the service answers (its account is the emulator's or the sandbox's, never assumed).
 * Production stacks come from infra/sam.yaml instead.
 */
public final class AwsBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AwsBootstrap.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private AwsBootstrap() {
    }

    public static void ensureStream(KinesisClient kinesis, String stream, int shards) {
        try {
            kinesis.describeStreamSummary(b -> b.streamName(stream));
            return;
        } catch (software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException missing) {
            LOG.info("Bootstrap: creating Kinesis stream {} with {} shard(s)", stream, shards);
            createStream(kinesis, stream, shards);
        }
        Instant deadline = Instant.now().plus(WAIT);
        while (kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("stream " + stream + " did not become ACTIVE within " + WAIT);
            }
            pause();
        }
    }

    /** Kinesis creates at most 5 streams at a time per account (LimitExceededException): wait for a slot. */
    private static void createStream(KinesisClient kinesis, String stream, int shards) {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            try {
                kinesis.createStream(b -> b.streamName(stream).shardCount(shards));
                return;
            } catch (software.amazon.awssdk.services.kinesis.model.LimitExceededException busy) {
                if (Instant.now().isAfter(deadline)) {
                    throw busy;
                }
                LOG.info("Bootstrap: other streams are being created ({}); retrying", busy.getMessage());
                pause();
            } catch (software.amazon.awssdk.services.kinesis.model.ResourceInUseException createdMeanwhile) {
                return;
            }
        }
    }

    public static void ensureTable(DynamoDbClient dynamoDb, String table) {
        try {
            dynamoDb.describeTable(b -> b.tableName(table));
            return;
        } catch (ResourceNotFoundException missing) {
            LOG.info("Bootstrap: creating DynamoDB table {} (symbol, timestamp), on demand", table);
            dynamoDb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("symbol").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("timestamp").attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName("symbol").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("timestamp").keyType(KeyType.RANGE).build()));
        }
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    public static void ensureBucket(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException missing) {
            LOG.info("Bootstrap: creating S3 bucket {}", bucket);
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    /**
     * The topic to publish to: {@code topicArn} if it exists; else (or with no ARN) the topic {@code name} (or the
     * ARN's name), created if missing. CreateTopic returns an existing topic's ARN, in whatever account this is.
     *
     * @return the ARN to use
     */
    public static String ensureTopic(SnsClient sns, String topicArn, String name) {
        if (topicArn != null) {
            try {
                sns.getTopicAttributes(b -> b.topicArn(topicArn));
                return topicArn;
            } catch (NotFoundException missing) {
                name = topicArn.substring(topicArn.lastIndexOf(':') + 1);
            }
        }
        String topicName = name;
        String created = sns.createTopic(b -> b.name(topicName)).topicArn();
        LOG.info("Bootstrap: SNS topic {} is {}", topicName, created);
        if (topicArn != null && !topicArn.equals(created)) {
            LOG.warn("Bootstrap: topic {} does not exist; using {} instead", topicArn, created);
        }
        return created;
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a resource", e);
        }
    }
}
