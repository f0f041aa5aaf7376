package dev.quotestream.report;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.net.URI;

/**
 * The report's AWS SDK v2 clients, built the project's way: region {@code aws.region}, credentials from the
 * default provider chain, and each client's endpoint overridden when one is set: {@code aws.glue-endpoint},
 * {@code aws.athena-endpoint}, {@code aws.s3-endpoint}, {@code aws.sns-endpoint}, {@code aws.ses-endpoint}, each
 * defaulting to
 * {@code aws.endpoint} (tests point them at WireMock and S3Proxy; S3 then uses path-style addressing).
 */
public record AwsReportClients(Region region, URI glueEndpoint, URI athenaEndpoint, URI s3Endpoint, URI snsEndpoint,
                               URI sesEndpoint) {

    /** Every client at one endpoint (blank = real AWS). */
    public static AwsReportClients of(String region, String endpoint) {
        return of(region, endpoint, endpoint, endpoint, endpoint, endpoint);
    }

    public static AwsReportClients of(String region, String glue, String athena, String s3, String sns, String ses) {
        return new AwsReportClients(Region.of(region.isBlank() ? "us-east-1" : region.trim()), uri(glue), uri(athena),
                uri(s3), uri(sns), uri(ses));
    }

    private static URI uri(String endpoint) {
        return endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim());
    }

    public GlueClient glue() {
        var b = GlueClient.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (glueEndpoint != null) {
            b.endpointOverride(glueEndpoint);
        }
        return b.build();
    }

    public AthenaClient athena(ExecutionInterceptor interceptor) {
        var b = AthenaClient.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(interceptor).build());
        if (athenaEndpoint != null) {
            b.endpointOverride(athenaEndpoint);
        }
        return b.build();
    }

    public S3Client s3() {
        var b = S3Client.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Whole-body payloads (no aws-chunked framing): the objects are small, and stubs see the bytes.
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
        if (s3Endpoint != null) {
            b.endpointOverride(s3Endpoint).forcePathStyle(true);
        }
        return b.build();
    }

    public S3Presigner presigner() {
        var b = S3Presigner.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (s3Endpoint != null) {
            b.endpointOverride(s3Endpoint)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        }
        return b.build();
    }

    /** Amazon SES (the v1 API, SendRawEmail), the report e-mail. */
    public SesClient ses() {
        var b = SesClient.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (sesEndpoint != null) {
            b.endpointOverride(sesEndpoint);
        }
        return b.build();
    }

    public SnsClient sns() {
        var b = SnsClient.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (snsEndpoint != null) {
            b.endpointOverride(snsEndpoint);
        }
        return b.build();
    }
}
