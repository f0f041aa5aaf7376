package dev.quotestream.lambda;

import dev.quotestream.core.aws.AwsClients;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.util.Map;

/** The three clients the processor uses, built once at init by the one factory ({@link AwsClients}). */
public record ServiceClients(DynamoDbClient dynamoDb, S3Client s3, SnsClient sns) {

    public static ServiceClients fromEnvironment(Map<String, String> env) {
        // The URL-connection client keeps 5 idle connections per host by default; a batch writes up to
        // QuoteProcessor.IO_PARALLELISM objects at once, so keep that many alive (before the first connection).
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", String.valueOf(QuoteProcessor.IO_PARALLELISM));
        }
        AwsClients factory = AwsClients.fromEnvironment(env);
        return new ServiceClients(factory.dynamoDb(), factory.s3(), factory.sns());
    }
}
