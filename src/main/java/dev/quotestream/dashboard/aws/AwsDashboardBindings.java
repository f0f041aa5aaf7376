package dev.quotestream.dashboard.aws;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;

/**
 * The aws profile's dashboard readers, on the clients AwsBindings built: DynamoDB Query for quotes and the
 * alert log, an S3 listing for today's dead letters. List it after AwsBindings.
 */
public class AwsDashboardBindings implements CamelConfiguration {

    @PropertyInject("aws.table")
    private String table;
    @PropertyInject("aws.bucket")
    private String bucket;
    @PropertyInject("deadletter.prefix")
    private String deadLetterPrefix;
    @PropertyInject("dashboard.dead-letter-count-cache-ms")
    private long deadLetterCacheMs;

    @Override
    public void configure(CamelContext context) throws Exception {
        var registry = context.getRegistry();
        DynamoDbClient dynamoDb = registry.lookupByNameAndType("dynamoDbClient", DynamoDbClient.class);
        S3Client s3 = registry.lookupByNameAndType("s3Client", S3Client.class);
        if (dynamoDb == null || s3 == null) {
            throw new IllegalStateException("AwsDashboardBindings needs the clients of AwsBindings: list it after them");
        }
        registry.bind("quoteReader", new DynamoQuoteReader(dynamoDb, table));
        registry.bind("alertLog", new DynamoAlertLog(dynamoDb, table, Clock.systemUTC()));
        registry.bind("deadLetterCounter", new S3DeadLetterCounter(s3, bucket, deadLetterPrefix, Clock.systemUTC(),
                Duration.ofMillis(deadLetterCacheMs)));
    }
}
