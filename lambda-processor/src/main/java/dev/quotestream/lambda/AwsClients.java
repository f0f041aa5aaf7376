package dev.quotestream.lambda;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the three SDK clients once, at init (outside the handler, so SnapStart snapshots them), on the
 * JDK's HttpURLConnection client: no Netty, no Apache HTTP client, a small artifact and a fast start.
 * Credentials come from the default chain (the function role). {@code AWS_ENDPOINT_URL} points every
 * client at one endpoint (tests, benchmarks); {@code AWS_ENDPOINT_URL_DYNAMODB}/{@code _S3}/{@code _SNS}
 * per service, as the SDK's own convention names them.
 */
public record AwsClients(DynamoDbClient dynamoDb, S3Client s3, SnsClient sns) {

    public static AwsClients fromEnvironment(Map<String, String> env) {
        Region region = Region.of(env.getOrDefault("AWS_REGION", "us-east-1"));
        String common = env.get("AWS_ENDPOINT_URL");
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(20))
                .build();
        var ddb = DynamoDbClient.builder().region(region).httpClient(http);
        var s3 = S3Client.builder().region(region).httpClient(http);
        var sns = SnsClient.builder().region(region).httpClient(http);
        String ddbEndpoint = env.getOrDefault("AWS_ENDPOINT_URL_DYNAMODB", common);
        String s3Endpoint = env.getOrDefault("AWS_ENDPOINT_URL_S3", common);
        String snsEndpoint = env.getOrDefault("AWS_ENDPOINT_URL_SNS", common);
        if (ddbEndpoint != null) {
            ddb.endpointOverride(URI.create(ddbEndpoint));
        }
        if (s3Endpoint != null) {
            // S3-compatible local servers: path-style, and checksums only where the API requires them.
            s3.endpointOverride(URI.create(s3Endpoint)).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        if (snsEndpoint != null) {
            sns.endpointOverride(URI.create(snsEndpoint));
        }
        return new AwsClients(ddb.build(), s3.build(), sns.build());
    }
}
