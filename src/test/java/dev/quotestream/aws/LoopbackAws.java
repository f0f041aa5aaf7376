package dev.quotestream.aws;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * Real servers that speak the AWS wire protocols, on free loopback ports: kinesis-local (kinesis-mock)
 * and dynalite from npm (pinned, installed into .tools/ by .ci/install-tools), S3Proxy in this JVM, and
 * WireMock for SNS. DynamoDB is reached through a {@link TcpProxy} so tests can take it down.
 */
public final class LoopbackAws implements AutoCloseable {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";
    public static final String STREAM = "stock-quotes";
    public static final String TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:stock-quote-alerts";

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path NODE_MODULES = ROOT.resolve(".tools/node/node_modules");

    private final List<Process> processes = new ArrayList<>();
    public final int kinesisPort;
    public final int dynamoPort;
    public final TcpProxy dynamoProxy;
    public final S3Proxy s3;
    public final int s3Port;
    public final WireMockServer sns;

    /** Starts everything, or skips the calling test (outside CI) when node is not installed. */
    public static LoopbackAws start() throws Exception {
        requireNodeTools();
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        return new LoopbackAws();
    }

    private LoopbackAws() throws Exception {
        kinesisPort = freePort();
        ProcessBuilder kinesis = new ProcessBuilder("node", "main.js")
                .directory(NODE_MODULES.resolve("kinesis-local").toFile()) // it reads server.json from here
                .redirectErrorStream(true)
                .redirectOutput(ROOT.resolve("target/kinesis-local.log").toFile());
        kinesis.environment().putAll(Map.of("KINESIS_MOCK_PLAIN_PORT", String.valueOf(kinesisPort),
                "KINESIS_MOCK_TLS_PORT", String.valueOf(freePort()), "INITIALIZE_STREAMS", STREAM + ":1",
                "LOG_LEVEL", "WARN", "CREATE_STREAM_DURATION", "0ms"));
        processes.add(kinesis.start());

        dynamoPort = freePort();
        processes.add(new ProcessBuilder("node", "cli.js", "--host", "127.0.0.1", "--port", String.valueOf(dynamoPort),
                "--createTableMs", "0")
                .directory(NODE_MODULES.resolve("dynalite").toFile())
                .redirectErrorStream(true)
                .redirectOutput(ROOT.resolve("target/dynalite.log").toFile())
                .start());
        dynamoProxy = new TcpProxy(dynamoPort);

        s3Port = freePort();
        s3 = s3Proxy(s3Port, ACCESS_KEY, SECRET_KEY);

        sns = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        sns.start();
        stubSns();

        awaitPort(kinesisPort, Duration.ofSeconds(60), "kinesis-local");
        awaitPort(dynamoPort, Duration.ofSeconds(30), "dynalite");
        awaitPort(s3Port, Duration.ofSeconds(30), "S3Proxy");
    }

    /** A started S3Proxy on loopback, in memory, checking AWS signatures made with these credentials. */
    public static S3Proxy s3Proxy(int port, String accessKey, String secretKey) throws Exception {
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                // S3Proxy has no server-side encryption; accept the SSE header the pipeline sends.
                .ignoreUnknownHeaders(true).build();
        proxy.start();
        Instant deadline = Instant.now().plusSeconds(30);
        while (!"STARTED".equals(proxy.getState())) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("S3Proxy did not start on port " + port + ": " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return proxy;
    }

    /** GetTopicAttributes (bootstrap checks the topic) and the documented Publish response. */
    public void stubSns() {
        stubSnsPublishOk();
        sns.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=GetTopicAttributes"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withBody("<GetTopicAttributesResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                                + "<GetTopicAttributesResult><Attributes><entry><key>TopicArn</key><value>" + TOPIC_ARN
                                + "</value></entry></Attributes></GetTopicAttributesResult><ResponseMetadata>"
                                + "<RequestId>r-1</RequestId></ResponseMetadata></GetTopicAttributesResponse>")));
    }

    /** The documented Publish response (SNS API reference, Publish, Examples). */
    private void stubSnsPublishOk() {
        sns.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=Publish"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withBody("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                                + "<MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult>"
                                + "<ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId>"
                                + "</ResponseMetadata></PublishResponse>")));
    }

    /** Properties that bind the aws profile to these servers. */
    public Map<String, String> properties() {
        return Map.ofEntries(
                Map.entry("aws.kinesis-endpoint", "http://127.0.0.1:" + kinesisPort),
                Map.entry("aws.dynamodb-endpoint", "http://127.0.0.1:" + dynamoProxy.port()),
                Map.entry("aws.s3-endpoint", "http://127.0.0.1:" + s3Port),
                Map.entry("aws.sns-endpoint", sns.baseUrl()),
                Map.entry("aws.cbor-enabled", "false"),
                Map.entry("aws.bootstrap", "true"),
                Map.entry("aws.stream", STREAM),
                Map.entry("aws.table", "stock-quotes"),
                Map.entry("aws.bucket", "stock-quotes"),
                Map.entry("aws.topic-arn", TOPIC_ARN));
    }

    public AwsClients clients() {
        System.setProperty("aws.cborEnabled", "false");
        return new AwsClients("us-east-1", new AwsClients.Endpoints("http://127.0.0.1:" + kinesisPort,
                "http://127.0.0.1:" + dynamoPort, "http://127.0.0.1:" + s3Port, sns.baseUrl()), 3);
    }

    @Override
    public void close() throws Exception {
        sns.stop();
        s3.stop();
        dynamoProxy.close();
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static void requireNodeTools() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!Files.isDirectory(NODE_MODULES.resolve("kinesis-local")) || !Files.isDirectory(NODE_MODULES.resolve("dynalite"))) {
            Process install = new ProcessBuilder("bash", ROOT.resolve(".ci/install-tools").toString()).inheritIO().start();
            install.waitFor();
        }
        boolean ready = Files.isRegularFile(NODE_MODULES.resolve("kinesis-local/main.js"))
                && Files.isRegularFile(NODE_MODULES.resolve("dynalite/cli.js")) && nodeWorks();
        if (!ready && ci) {
            throw new IllegalStateException("CI must run the AWS-protocol tests, but node, kinesis-local or dynalite "
                    + "is missing: .ci/install-tools should have installed them into .tools/node");
        }
        Assumptions.assumeTrue(ready, "Skipped: node is not installed, so kinesis-local and dynalite cannot run "
                + "(install Node.js, then .ci/install-tools)");
    }

    private static boolean nodeWorks() {
        try {
            return new ProcessBuilder("node", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, Duration timeout, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
                Object lock = new Object();
                synchronized (lock) {
                    lock.wait(100);
                }
            }
        }
        throw new IllegalStateException(what + " did not listen on port " + port + " within " + timeout);
    }

    /** A loopback TCP proxy that can be taken down (connections refused and cut) and brought back. */
    public static final class TcpProxy implements AutoCloseable {
        private final int target;
        private final int port;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile ServerSocket server;
        private volatile boolean closed;

        TcpProxy(int target) throws IOException {
            this.target = target;
            this.port = freePort();
            up();
        }

        public int port() {
            return port;
        }

        public synchronized void up() throws IOException {
            if (server != null) {
                return;
            }
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            server = s;
            Thread acceptor = new Thread(() -> accept(s), "tcp-proxy-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        /** An outage: the port stops listening and every open connection is cut. */
        public synchronized void down() throws IOException {
            if (server != null) {
                server.close();
                server = null;
            }
            for (Socket s : open) {
                s.close();
            }
            open.clear();
        }

        private void accept(ServerSocket s) {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket upstream = new Socket("127.0.0.1", target);
                    open.add(client);
                    open.add(upstream);
                    pipe(client, upstream);
                    pipe(upstream, client);
                } catch (IOException stopped) {
                    return;
                }
            }
        }

        private void pipe(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException cut) {
                    // connection closed by either side or by down()
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException ignored) {
                        // already closed
                    }
                    open.remove(from);
                    open.remove(to);
                }
            }, "tcp-proxy-pipe");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            closed = true;
            down();
        }
    }
}
