package dev.quotestream.aws;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
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

    /** Endpoint overrides; each defaults to {@code aws.endpoint}, so one property moves them all. */
    public record Endpoints(String kinesis, String dynamoDb, String s3, String sns) {
    }

    private final Region region;
    private final Endpoints endpoints;
    private final int maxAttempts;

    public AwsClients(String region, Endpoints endpoints, int maxAttempts) {
        this.region = Region.of(region);
        this.endpoints = endpoints;
        this.maxAttempts = maxAttempts;
    }

    private static URI uri(String endpoint) {
        return endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim());
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String endpointOverride) {
        URI endpoint = uri(endpointOverride);
        builder.region(region)
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(maxAttempts).build())
                        .apiCallAttemptTimeout(Duration.ofSeconds(10))
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    public KinesisClient kinesis() {
        return configure(KinesisClient.builder(), endpoints.kinesis()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder(), endpoints.dynamoDb()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public SnsClient sns() {
        return configure(SnsClient.builder(), endpoints.sns()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public S3Client s3() {
        var builder = configure(S3Client.builder(), endpoints.s3()).httpClientBuilder(UrlConnectionHttpClient.builder());
        if (uri(endpoints.s3()) != null) {
            builder.forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }
}
