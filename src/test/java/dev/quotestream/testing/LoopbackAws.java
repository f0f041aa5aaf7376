package dev.quotestream.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * The AWS APIs on loopback, for the tests of the root project and of lambda-processor (which compiles this
 * package from here: lambda-processor/pom.xml, execution "loopback-aws-harness"). One server per service per
 * test JVM, started on first use and stopped when the JVM exits:
 * <ul>
 *   <li>{@link Service#KINESIS}: kinesis-local (kinesis-mock), a node process;</li>
 *   <li>{@link Service#DYNAMODB}: dynalite, a node process (both pinned, installed into .tools/ by
 *       .ci/install-tools, which this class runs when they are missing);</li>
 *   <li>{@link Service#S3}: S3Proxy in this JVM, over a transient in-memory blob store;</li>
 *   <li>{@link Service#SNS}: WireMock in this JVM, answering Publish and GetTopicAttributes for any topic as
 *       the SNS API reference documents them.</li>
 * </ul>
 * Tests share the servers and isolate themselves by names: their own stream, table, bucket ({@link #uniqueName})
 * and topic ({@link #topic}). Faults are per test too: {@link #proxy} puts the test's own TCP proxy in front
 * of a service (an outage: down, then up), {@link #httpFront} its own WireMock (error answers, throttling).
 * Plain Java, JUnit, WireMock and S3Proxy only: no Camel and no AWS SDK, so both builds compile it.
 */
public final class LoopbackAws {

    public enum Service { KINESIS, DYNAMODB, S3, SNS }

    public static final String REGION = "us-east-1";
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static LoopbackAws shared;

    private final Path repoRoot;
    private final Path logDir;
    private final Map<Service, Running> running = new EnumMap<>(Service.class);
    private final Map<Service, Integer> starts = new EnumMap<>(Service.class);

    private LoopbackAws(Path repoRoot) {
        this.repoRoot = repoRoot;
        this.logDir = Path.of("target", "loopback-aws").toAbsolutePath();
    }

    /**
     * The servers of this JVM. Skips the calling test when node is missing, except in CI (CI=true), where
     * that is an error. Also points the SDK's default credential chain at the servers' credentials.
     */
    public static synchronized LoopbackAws shared() {
        if (shared == null) {
            Path root = repoRoot();
            requireNodeTools(root);
            shared = new LoopbackAws(root);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "loopback-aws-stop"));
        }
        // Every call: another test may have set other (WireMock-only) credentials since.
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        return shared;
    }

    /** The service's endpoint, {@code http://127.0.0.1:<port>}; starts the service on first use. */
    public String endpoint(Service service) {
        return "http://127.0.0.1:" + port(service);
    }

    public synchronized int port(Service service) {
        start(service);
        return running.get(service).port();
    }

    /** How many times this JVM started the service: 1 once it is used. */
    public synchronized int starts(Service service) {
        return starts.getOrDefault(service, 0);
    }

    /** Starts every service not running yet, the node processes side by side. */
    public synchronized void startAll() {
        start(Service.values());
    }

    /** The SNS server. Prefer {@link #topic}: a test's stubs and requests scoped to its own topic. */
    public synchronized WireMockServer snsServer() {
        start(Service.SNS);
        return (WireMockServer) running.get(Service.SNS).server();
    }

    /** A topic of its own for the calling test, in any account; its ARN is {@code arn:aws:sns:us-east-1:<account>:<name>}. */
    public SnsTopic topic(String account, String name) {
        return new SnsTopic(snsServer(), "arn:aws:sns:" + REGION + ":" + account + ":" + name);
    }

    /** A new TCP proxy in front of the service, for the calling test only; close it when done. */
    public TcpProxy proxy(Service service) {
        try {
            return new TcpProxy(port(service));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new WireMock server in front of the service, for the calling test only: every request is passed
     * through, unless a stub the test adds (at the default priority or higher) answers it. Close it when done.
     */
    public HttpFront httpFront(Service service) {
        return new HttpFront(endpoint(service));
    }

    /**
     * A fresh name, valid as a Kinesis stream, DynamoDB table, S3 bucket and SNS topic name: the hint in lower
     * case (letters, digits and '-'), then a number unique in this JVM.
     */
    public static String uniqueName(String hint) {
        String base = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (base.length() > 40) {
            base = base.substring(0, 40).replaceAll("-+$", "");
        }
        return (base.isEmpty() ? "t" : base) + "-" + NAMES.incrementAndGet();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------ lifecycle

    private record Running(int port, Process process, Object server, Instant launched) {
        Running(int port, Process process, Object server) {
            this(port, process, server, Instant.now());
        }
    }

    private void start(Service... services) {
        Map<Service, Running> launched = new EnumMap<>(Service.class);
        try {
            for (Service service : services) {
                if (!running.containsKey(service)) {
                    Instant begun = Instant.now();
                    Running r = launch(service);
                    launched.put(service, new Running(r.port(), r.process(), r.server(), begun));
                }
            }
            for (Map.Entry<Service, Running> started : launched.entrySet()) {
                Running r = started.getValue();
                awaitPort(started.getKey(), r);
                running.put(started.getKey(), r);
                starts.merge(started.getKey(), 1, Integer::sum);
                log("started " + started.getKey() + " on port " + r.port() + " in "
                        + Duration.between(r.launched(), Instant.now()).toMillis() + " ms");
            }
        } catch (Exception e) {
            launched.keySet().forEach(running::remove);
            launched.values().forEach(LoopbackAws::stop);
            throw new IllegalStateException("cannot start the loopback AWS servers " + launched.keySet(), e);
        }
    }

    private Running launch(Service service) throws IOException {
        int port = freePort();
        Path modules = repoRoot.resolve(".tools/node/node_modules");
        Files.createDirectories(logDir);
        switch (service) {
            case KINESIS -> {
                // kinesis-local reads its server.json from its package folder. Streams come from the tests.
                ProcessBuilder kinesis = new ProcessBuilder("node", "main.js")
                        .directory(modules.resolve("kinesis-local").toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(logDir.resolve("kinesis-local.log").toFile());
                kinesis.environment().putAll(Map.of("KINESIS_MOCK_PLAIN_PORT", String.valueOf(port),
                        "KINESIS_MOCK_TLS_PORT", String.valueOf(freePort()), "LOG_LEVEL", "WARN",
                        "CREATE_STREAM_DURATION", "0ms", "DELETE_STREAM_DURATION", "0ms"));
                // kinesis-local speaks JSON, not CBOR: the SDK's Kinesis clients of this JVM must too.
                System.setProperty("aws.cborEnabled", "false");
                return new Running(port, kinesis.start(), null);
            }
            case DYNAMODB -> {
                return new Running(port, new ProcessBuilder("node", "cli.js", "--host", "127.0.0.1",
                        "--port", String.valueOf(port), "--createTableMs", "0", "--deleteTableMs", "0",
                        "--updateTableMs", "0")
                        .directory(modules.resolve("dynalite").toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(logDir.resolve("dynalite.log").toFile())
                        .start(), null);
            }
            case S3 -> {
                BlobStoreContext blobs = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                        .build(BlobStoreContext.class);
                S3Proxy s3 = S3Proxy.builder().blobStore(blobs.getBlobStore())
                        .endpoint(URI.create("http://127.0.0.1:" + port))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                        // S3Proxy has no server-side encryption; accept the SSE headers the writers send.
                        .ignoreUnknownHeaders(true)
                        .build();
                try {
                    s3.start();
                } catch (Exception e) {
                    throw new IOException("S3Proxy did not start", e);
                }
                return new Running(port, null, s3);
            }
            case SNS -> {
                WireMockServer sns = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1")
                        .port(port));
                sns.start();
                stubSnsForAnyTopic(sns);
                return new Running(port, null, sns);
            }
            default -> throw new IllegalArgumentException(service.name());
        }
    }

    /** The account CreateTopic answers in when no test stubs it ({@link SnsTopic#stubCreateTopic}): not 000000000000. */
    public static final String CREATED_TOPICS_ACCOUNT = "123456789012";

    /**
     * The documented answers (SNS API reference, Publish, GetTopicAttributes and CreateTopic, Examples) for any topic,
     * at the lowest priority: a test's own stubs ({@link SnsTopic#stub}) win.
     */
    private static void stubSnsForAnyTopic(WireMockServer sns) {
        sns.stubFor(post(urlEqualTo("/")).atPriority(SnsTopic.DEFAULT_PRIORITY)
                .withFormParam("Action", equalTo("CreateTopic"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withTransformers("response-template")
                        .withBody("<CreateTopicResponse xmlns=\"https://sns.amazonaws.com/doc/2010-03-31/\"><CreateTopicResult>"
                                + "<TopicArn>arn:aws:sns:" + REGION + ":" + CREATED_TOPICS_ACCOUNT + ":"
                                + "{{formData request.body 'form' urlDecode=true}}{{form.Name}}</TopicArn></CreateTopicResult>"
                                + "<ResponseMetadata><RequestId>a8dec8b3-33a4-11df-8963-01868b7c937a</RequestId>"
                                + "</ResponseMetadata></CreateTopicResponse>")));
        sns.stubFor(post(urlEqualTo("/")).atPriority(SnsTopic.DEFAULT_PRIORITY)
                .withFormParam("Action", equalTo("Publish"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withBody("<PublishResponse xmlns=\"https://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                                + "<MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult>"
                                + "<ResponseMetadata><RequestId>d74b8436-ae13-5ab4-a9ff-ce54dfea72a0</RequestId>"
                                + "</ResponseMetadata></PublishResponse>")));
        sns.stubFor(post(urlEqualTo("/")).atPriority(SnsTopic.DEFAULT_PRIORITY)
                .withFormParam("Action", equalTo("GetTopicAttributes"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml")
                        .withTransformers("response-template")
                        .withBody("<GetTopicAttributesResponse xmlns=\"https://sns.amazonaws.com/doc/2010-03-31/\">"
                                + "<GetTopicAttributesResult><Attributes><entry><key>TopicArn</key><value>"
                                + "{{formData request.body 'form' urlDecode=true}}{{form.TopicArn}}"
                                + "</value></entry></Attributes></GetTopicAttributesResult><ResponseMetadata>"
                                + "<RequestId>057f074c-33a7-11df-9540-99d0768312d3</RequestId></ResponseMetadata>"
                                + "</GetTopicAttributesResponse>")));
    }

    private void awaitPort(Service service, Running r) throws InterruptedException {
        Duration timeout = service == Service.KINESIS ? Duration.ofSeconds(120) : Duration.ofSeconds(60);
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (r.process() != null && !r.process().isAlive()) {
                throw new IllegalStateException(service + " exited with " + r.process().exitValue()
                        + "; see " + logDir);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", r.port()), 200);
                return;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(50); // polling a port: there is no event to wait on
            }
        }
        throw new IllegalStateException(service + " did not listen on port " + r.port() + " within " + timeout
                + "; see " + logDir);
    }

    private synchronized void stop() {
        running.values().forEach(LoopbackAws::stop);
        running.clear();
    }

    private static void stop(Running r) {
        try {
            if (r.server() instanceof WireMockServer wireMock) {
                wireMock.stop();
            } else if (r.server() instanceof S3Proxy s3) {
                s3.stop();
            }
            if (r.process() != null) {
                r.process().descendants().forEach(ProcessHandle::destroy);
                r.process().destroy();
                if (!r.process().waitFor(10, TimeUnit.SECONDS)) {
                    r.process().destroyForcibly();
                }
            }
        } catch (Exception e) {
            System.err.println("[loopback-aws] stopping a server on port " + r.port() + " failed: " + e);
        }
    }

    /** One line per server start, on stderr and in target/loopback-aws/starts.log (a run's starts can be counted). */
    private void log(String line) {
        String stamped = "[loopback-aws] " + Instant.now() + " pid " + ProcessHandle.current().pid() + " " + line;
        System.err.println(stamped);
        try {
            Files.writeString(logDir.resolve("starts.log"), stamped + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("[loopback-aws] cannot write " + logDir.resolve("starts.log") + ": " + e);
        }
    }

    // ------------------------------------------------------------------------------------ node tools

    /** The repository root: the nearest folder, from the working directory up, holding .ci/install-tools. */
    private static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(".ci/install-tools"))) {
                return p;
            }
        }
        throw new IllegalStateException("no .ci/install-tools above " + Path.of("").toAbsolutePath());
    }

    private static void requireNodeTools(Path root) {
        Path modules = root.resolve(".tools/node/node_modules");
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!ready(modules) && nodeWorks()) {
            try {
                Process install = new ProcessBuilder("bash", root.resolve(".ci/install-tools").toString())
                        .directory(root.toFile()).inheritIO().start();
                if (!install.waitFor(5, TimeUnit.MINUTES)) {
                    install.destroyForcibly();
                }
            } catch (IOException e) {
                System.err.println("[loopback-aws] .ci/install-tools failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean ready = ready(modules) && nodeWorks();
        if (!ready && ci) {
            throw new IllegalStateException("CI must run the AWS-protocol tests, but node, kinesis-local or dynalite "
                    + "is missing: .ci/install-tools should have installed them into " + modules.getParent());
        }
        Assumptions.assumeTrue(ready, "Skipped: node is not installed, so kinesis-local and dynalite cannot run "
                + "(install Node.js, then .ci/install-tools)");
    }

    private static boolean ready(Path modules) {
        return Files.isRegularFile(modules.resolve("kinesis-local/main.js"))
                && Files.isRegularFile(modules.resolve("dynalite/cli.js"));
    }

    private static boolean nodeWorks() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
