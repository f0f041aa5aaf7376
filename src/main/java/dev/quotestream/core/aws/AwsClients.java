package dev.quotestream.core.aws;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.sns.SnsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The one AWS client factory of the Camel application and the Lambda: every client is built the same way
 * (region, the default credential chain, the JDK's URL-connection HTTP client, standard retries with backoff for
 * throttling and 5xx, a timeout per attempt). An endpoint override per service points a client at another server
 * (LocalStack, moto, the tests' loopback servers) and then also applies what S3-compatible servers need:
 * path-style access and checksums only when required. Plain SDK code, no Camel: lambda-processor compiles it.
 */
public final class AwsClients {

    /** Endpoint overrides (blank: AWS itself). */
    public record Endpoints(String kinesis, String dynamoDb, String s3, String sns, String sts) {
        public Endpoints(String kinesis, String dynamoDb, String s3, String sns) {
            this(kinesis, dynamoDb, s3, sns, null);
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(20);

    private final Region region;
    private final Endpoints endpoints;
    private final int maxAttempts;

    public AwsClients(String region, Endpoints endpoints, int maxAttempts) {
        this.region = Region.of(region);
        this.endpoints = endpoints;
        this.maxAttempts = maxAttempts;
    }

    /**
     * From a Lambda function's environment, by the SDK's own names: {@code AWS_REGION}, {@code AWS_ENDPOINT_URL}
     * and {@code AWS_ENDPOINT_URL_<SERVICE>} (tests, benchmarks), {@code AWS_MAX_ATTEMPTS} (default 3).
     */
    public static AwsClients fromEnvironment(Map<String, String> env) {
        String common = env.get("AWS_ENDPOINT_URL");
        return new AwsClients(env.getOrDefault("AWS_REGION", "us-east-1"), new Endpoints(
                env.getOrDefault("AWS_ENDPOINT_URL_KINESIS", common),
                env.getOrDefault("AWS_ENDPOINT_URL_DYNAMODB", common),
                env.getOrDefault("AWS_ENDPOINT_URL_S3", common),
                env.getOrDefault("AWS_ENDPOINT_URL_SNS", common),
                env.getOrDefault("AWS_ENDPOINT_URL_STS", common)),
                Integer.parseInt(env.getOrDefault("AWS_MAX_ATTEMPTS", "3")));
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public String region() {
        return region.id();
    }

    public DynamoDbClient dynamoDb() {
        return build(DynamoDbClient.builder(), endpoints.dynamoDb());
    }

    public S3Client s3() {
        return build(S3Client.builder(), endpoints.s3());
    }

    public SnsClient sns() {
        return build(SnsClient.builder(), endpoints.sns());
    }

    /** Any other service the same way, e.g. {@code build(KinesisClient.builder(), endpoints().kinesis())}. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, String endpoint) {
        URI override = endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim());
        builder.region(region)
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(maxAttempts).build())
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .build());
        builder.httpClientBuilder(UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT).socketTimeout(SOCKET_TIMEOUT));
        if (override != null) {
            builder.endpointOverride(override);
            if (builder instanceof S3ClientBuilder s3) {
                // Over plain HTTP the SDK signs the payload; aws-chunked encoding would sign every chunk too (and the
                // server decode them): a small object is signed once, whole.
                s3.forcePathStyle(true)
                        .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            }
        }
        return builder.build();
    }
}
