package dev.quotestream.bench;

import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.LoopbackAws.Service;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * One set of loopback AWS-API servers for a whole benchmark run, shared by the project and the naive seed: the
 * project's one harness ({@link LoopbackAws}: kinesis-local, dynalite, S3Proxy, WireMock SNS), each behind a
 * {@link CountingProxy} (what a client under test talks to, so its calls are counted on the wire). The harness's own
 * clients (loading the stream, reading data at rest) talk to the servers directly, uncounted. Credentials are the
 * harness's; the seed gets them through bench/naive-seed/run-seed.py (it hard-codes others).
 */
final class BenchServers implements AutoCloseable {

    static final String ACCESS_KEY = LoopbackAws.ACCESS_KEY;
    static final String SECRET_KEY = LoopbackAws.SECRET_KEY;
    static final String REGION = LoopbackAws.REGION;

    final LoopbackAws aws;
    final CountingProxy kinesis;
    final CountingProxy dynamoDb;
    final CountingProxy s3;
    final CountingProxy sns;

    BenchServers() throws Exception {
        aws = LoopbackAws.shared();
        aws.startAll();
        kinesis = new CountingProxy("kinesis", aws.port(Service.KINESIS));
        dynamoDb = new CountingProxy("dynamodb", aws.port(Service.DYNAMODB));
        s3 = new CountingProxy("s3", aws.port(Service.S3));
        sns = new CountingProxy("sns", aws.port(Service.SNS));
    }

    String directS3() {
        return aws.endpoint(Service.S3);
    }
    List<CountingProxy> sinks() {
        return List.of(dynamoDb, s3, sns);
    }

    DynamoDbClient directDynamoDb() {
        return DynamoDbClient.builder().region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create(aws.endpoint(Service.DYNAMODB))).build();
    }

    S3Client directS3Client() {
        return S3Client.builder().region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create(directS3())).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
    }

    KinesisClient directKinesis() {
        return KinesisClient.builder().region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create(aws.endpoint(Service.KINESIS))).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    @Override
    public void close() throws Exception {
        for (CountingProxy p : List.of(kinesis, dynamoDb, s3, sns)) {
            try {
                p.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
