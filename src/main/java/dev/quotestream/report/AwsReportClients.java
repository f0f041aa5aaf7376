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
import software.amazon.awssdk.services.sns.SnsClient;

import java.net.URI;

/**
 * The report's AWS SDK v2 clients, built the project's way: region {@code aws.region}, credentials from the
 * default provider chain, and every client's endpoint overridden to {@code aws.endpoint} when it is set (tests
 * point it at WireMock; S3 then uses path-style addressing).
 */
public record AwsReportClients(Region region, URI endpoint) {

    public static AwsReportClients of(String region, String endpoint) {
        return new AwsReportClients(Region.of(region.isBlank() ? "us-east-1" : region.trim()),
                endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim()));
    }

    public GlueClient glue() {
        var b = GlueClient.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }

    public AthenaClient athena(ExecutionInterceptor interceptor) {
        var b = AthenaClient.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(ClientOverrideConfiguration.builder().addExecutionInterceptor(interceptor).build());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }

    public S3Client s3() {
        var b = S3Client.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Whole-body payloads (no aws-chunked framing): the objects are small, and stubs see the bytes.
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
        if (endpoint != null) {
            b.endpointOverride(endpoint).forcePathStyle(true);
        }
        return b.build();
    }

    public S3Presigner presigner() {
        var b = S3Presigner.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (endpoint != null) {
            b.endpointOverride(endpoint)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        }
        return b.build();
    }

    public SnsClient sns() {
        var b = SnsClient.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }
}
