package dev.quotestream.bench;

import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.LoopbackAws.Service;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
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
 * One set of loopback AWS-API servers for a whole benchmark run, shared by the project and the naive seed, each behind
 * a {@link CountingProxy} (what a client under test talks to, so its calls are counted on the wire):
 * <ul>
 *   <li>kinesis-local, dynalite and the WireMock SNS from the project's test harness ({@link LoopbackAws});</li>
 *   <li>S3Proxy started here the way {@link LoopbackAws} starts it (transient in-memory store, AWS V2/V4
 *       authentication), but with the credentials the naive seed hard-codes ({@value #ACCESS_KEY} /
 *       {@value #SECRET_KEY}): the seed cannot be given others, and the project takes them from its default chain.
 *       dynalite, kinesis-local and WireMock do not check credentials.</li>
 * </ul>
 * The harness's own clients (loading the stream, reading data at rest) talk to the servers directly, uncounted.
 */
final class BenchServers implements AutoCloseable {

    static final String ACCESS_KEY = "test";
    static final String SECRET_KEY = "test";
    static final String REGION = LoopbackAws.REGION;

    final LoopbackAws aws;
    final CountingProxy kinesis;
    final CountingProxy dynamoDb;
    final CountingProxy s3;
    final CountingProxy sns;
    private final S3Proxy s3Proxy;
    private final int s3Port;

    BenchServers() throws Exception {
        aws = LoopbackAws.shared();
        aws.startAll();
        // After LoopbackAws.shared(), which sets its own: every client of this JVM signs as the seed does.
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        s3Port = LoopbackAws.freePort();
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .build(BlobStoreContext.class);
        s3Proxy = S3Proxy.builder().blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + s3Port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .build();
        s3Proxy.start();
        while (!s3Proxy.getState().equals("STARTED")) {
            Thread.sleep(20); // S3Proxy has no start event; its state flips within a second
        }
        kinesis = new CountingProxy("kinesis", aws.port(Service.KINESIS));
        dynamoDb = new CountingProxy("dynamodb", aws.port(Service.DYNAMODB));
        s3 = new CountingProxy("s3", s3Port);
        sns = new CountingProxy("sns", aws.port(Service.SNS));
    }

    String directS3() {
        return "http://127.0.0.1:" + s3Port;
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
        s3Proxy.stop();
    }
}
