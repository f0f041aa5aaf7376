package dev.quotestream.lambda;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The AWS APIs on loopback, started and stopped by the tests: dynalite (DynamoDB, a node process from
 * .tools/, installed by .ci/install-tools), S3Proxy (S3, in this JVM, transient in-memory blob store) and
 * WireMock answering SNS Publish with the documented XML.
 */
public final class LocalAws implements AutoCloseable {

    public static final String IDENTITY = "local-identity";
    public static final String CREDENTIAL = "local-credential";
    public static final Region REGION = Region.US_EAST_1;

    private final Process dynalite;
    private final int dynamoPort;
    private final S3Proxy s3Proxy;
    private final int s3Port;
    private final WireMockServer sns;

    private LocalAws(Process dynalite, int dynamoPort, S3Proxy s3Proxy, int s3Port, WireMockServer sns) {
        this.dynalite = dynalite;
        this.dynamoPort = dynamoPort;
        this.s3Proxy = s3Proxy;
        this.s3Port = s3Port;
        this.sns = sns;
    }

    /** The dynalite launcher, installing it with .ci/install-tools if needed; null when node is missing. */
    public static Path dynaliteCli() throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
        Path cli = root.resolve(".tools/node/node_modules/dynalite/cli.js");
        if (!nodeInstalled()) {
            return null;
        }
        if (!Files.exists(cli)) {
            Process install = new ProcessBuilder(root.resolve(".ci/install-tools").toString())
                    .directory(root.toFile()).inheritIO().start();
            if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
                throw new IllegalStateException(".ci/install-tools failed; cannot start dynalite");
            }
        }
        if (!Files.exists(cli)) {
            throw new IllegalStateException("dynalite not found at " + cli + " after .ci/install-tools");
        }
        return cli;
    }

    public static boolean nodeInstalled() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public static LocalAws start() throws Exception {
        Path cli = dynaliteCli();
        if (cli == null) {
            throw new IllegalStateException("node is not installed");
        }
        int dynamoPort = freePort();
        File log = Files.createTempFile("dynalite", ".log").toFile();
        Process dynalite = new ProcessBuilder("node", cli.toString(), "--port", Integer.toString(dynamoPort),
                "--host", "127.0.0.1").redirectErrorStream(true).redirectOutput(log).start();
        waitForPort(dynamoPort, dynalite);

        Properties properties = new Properties();
        BlobStoreContext context = ContextBuilder.newBuilder("transient")
                .credentials(IDENTITY, CREDENTIAL).overrides(properties).build(BlobStoreContext.class);
        int s3Port = freePort();
        S3Proxy s3Proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + s3Port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, CREDENTIAL)
                .ignoreUnknownHeaders(true)
                .build();
        s3Proxy.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"STARTED".equals(s3Proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        WireMockServer sns = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        sns.start();
        LocalAws aws = new LocalAws(dynalite, dynamoPort, s3Proxy, s3Port, sns);
        aws.stubPublish();
        return aws;
    }

    /** SNS Publish as documented: form-encoded query request, XML PublishResponse. */
    public void stubPublish() {
        sns.resetAll();
        sns.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withBody("""
                                <PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/">
                                  <PublishResult>
                                    <MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId>
                                  </PublishResult>
                                  <ResponseMetadata>
                                    <RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId>
                                  </ResponseMetadata>
                                </PublishResponse>""")));
    }

    public WireMockServer snsServer() {
        return sns;
    }

    public String dynamoEndpoint() {
        return "http://127.0.0.1:" + dynamoPort;
    }

    public String s3Endpoint() {
        return "http://127.0.0.1:" + s3Port;
    }

    public String snsEndpoint() {
        return "http://127.0.0.1:" + sns.port();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL));
    }

    public DynamoDbClient dynamoDb(ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder().region(REGION).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> {
                    for (ExecutionInterceptor i : interceptors) {
                        c.addExecutionInterceptor(i);
                    }
                })
                .endpointOverride(URI.create(dynamoEndpoint())).build();
    }

    public S3Client s3(ExecutionInterceptor... interceptors) {
        return S3Client.builder().region(REGION).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> {
                    for (ExecutionInterceptor i : interceptors) {
                        c.addExecutionInterceptor(i);
                    }
                })
                .endpointOverride(URI.create(s3Endpoint())).build();
    }

    public SnsClient sns(ExecutionInterceptor... interceptors) {
        return SnsClient.builder().region(REGION).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> {
                    for (ExecutionInterceptor i : interceptors) {
                        c.addExecutionInterceptor(i);
                    }
                })
                .endpointOverride(URI.create(snsEndpoint())).build();
    }

    /** The table of infra/sam.yaml: keys symbol (S, HASH) and timestamp (S, RANGE), on demand. */
    public void createTable(DynamoDbClient ddb, String table) {
        ddb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("symbol").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("timestamp").attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("symbol").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("timestamp").keyType(KeyType.RANGE).build()));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (ddb.describeTable(b -> b.tableName(table)).table().tableStatus() != TableStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + table + " did not become ACTIVE");
            }
            sleep(20);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void waitForPort(int port, Process process) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("dynalite exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IllegalStateException("dynalite did not listen on port " + port);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        sns.stop();
        s3Proxy.stop();
        dynalite.destroy();
        if (!dynalite.waitFor(10, TimeUnit.SECONDS)) {
            dynalite.destroyForcibly();
        }
    }
}
