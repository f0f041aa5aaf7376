package dev.quotestream.aws;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.net.URI;
import java.time.Duration;

/**
 * Builds every AWS client once, the same way: region, default credential chain, URL-connection HTTP
 * client, standard retries (throttling such as Kinesis ProvisionedThroughputExceeded is retried with
 * backoff). One property, {@code aws.endpoint}, points them all at another endpoint (LocalStack, the
 * tests' loopback servers) and then also applies what S3-compatible servers need: path-style access and
 * checksums only when required.
 */
public final class AwsClients {

    private final Region region;
    private final URI endpoint;
    private final int maxAttempts;

    public AwsClients(String region, String endpoint, int maxAttempts) {
        this.region = Region.of(region);
        this.endpoint = endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim());
        this.maxAttempts = maxAttempts;
    }

    public boolean endpointOverridden() {
        return endpoint != null;
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        builder.region(region)
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .retryStrategy(b -> b.maxAttempts(maxAttempts))
                        .apiCallAttemptTimeout(Duration.ofSeconds(10))
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    public KinesisClient kinesis() {
        return configure(KinesisClient.builder()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public SnsClient sns() {
        return configure(SnsClient.builder()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public S3Client s3() {
        var builder = configure(S3Client.builder()).httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpoint != null) {
            builder.forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }
}
