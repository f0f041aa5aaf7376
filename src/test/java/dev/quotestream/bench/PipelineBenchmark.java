package dev.quotestream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quotestream.local.LocalStreamLog;
import dev.quotestream.testing.LoopbackAws;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Not a test: issue 11's benchmark. Runs the project and the naive seed (bench/naive-seed/naive-seed-baseline.py)
 * against ONE set of loopback AWS-API servers ({@link BenchServers}, every call counted on the wire), alternating
 * (project first in odd repeats, seed first in even ones), and prints each run, min / median / max and the per-run
 * ratio. Run it with {@code bench/run-all.sh} (docs/benchmarks.md, "Processing: project vs the naive seed").
 *
 * <p>Options (system properties): bench.measures=route,lambda10,lambda100,local,fetch,profile,profile-local,proxy (default: the first six),
 * bench.repeats=3, bench.symbols=20, bench.route-records=3000, bench.lambda10-records=2000,
 * bench.lambda100-records=3000, bench.local-records=100000, bench.local-repeats (default: bench.repeats), bench.profile-local-records=30000, bench.profile-lambda-batch=10, bench.lambda10-warmup-batches=400, bench.lambda100-warmup-batches=40 (4,000 records: a few seconds of a busy shard's warm container), bench.out=target/bench,
 * bench.app-classpath-file (the root's test class path; default java.class.path),
 * bench.lambda-classpath-file (lambda-processor's test class path).
 */
public final class PipelineBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Set<String> SETUP_OPERATIONS = Set.of("CreateTable", "DescribeTable", "CreateBucket",
            "HeadBucket", "CreateTopic", "GetTopicAttributes", "ListTables", "GetCallerIdentity");

    private final Path repo;
    private final Path out;
    private final int repeats;
    private final int symbols;
    private final String appClasspath;
    private final String lambdaClasspath;
    private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private BenchServers servers;
    private DynamoDbClient ddb;
    private S3Client s3;
    private KinesisClient kinesis;
    /** measure -> side -> values per repeat (in run order). */
    private final Map<String, Map<String, List<Double>>> results = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final StringBuilder log = new StringBuilder();
    /** The last project run's processing window (wall clock), to read its JFR recording for that window only. */
    private Instant windowFrom;
    private Instant windowTo;

    private PipelineBenchmark(Path repo) throws IOException {
        this.repo = repo;
        this.out = repo.resolve(System.getProperty("bench.out", "target/bench")).toAbsolutePath();
        this.repeats = Integer.getInteger("bench.repeats", 3);
        this.symbols = Integer.getInteger("bench.symbols", 20);
        this.appClasspath = classpath("bench.app-classpath-file", System.getProperty("java.class.path"));
        this.lambdaClasspath = classpath("bench.lambda-classpath-file", null);
        Files.createDirectories(out);
    }

    private static String classpath(String property, String fallback) throws IOException {
        String file = System.getProperty(property);
        return file == null ? fallback : Files.readString(Path.of(file)).trim();
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        while (!Files.exists(repo.resolve(".ci/install-tools"))) {
            repo = repo.getParent();
        }
        PipelineBenchmark bench = new PipelineBenchmark(repo);
        List<String> measures = Arrays.asList(System.getProperty("bench.measures",
                "route,lambda10,lambda100,local,fetch,profile").split(","));
        bench.run(measures);
        System.exit(0);
    }

    private void run(List<String> measures) throws Exception {
        say("benchmark started " + Instant.now() + ", load average " + loadAverage() + ", commit " + commit());
        try (BenchServers s = new BenchServers()) {
            servers = s;
            ddb = s.directDynamoDb();
            s3 = s.directS3Client();
            kinesis = s.directKinesis();
            for (String m : measures) {
                switch (m.trim()) {
                    case "route" -> route(Integer.getInteger("bench.route-records", 3000));
                    case "lambda10" -> lambda(10, Integer.getInteger("bench.lambda10-records", 2000),
                            Integer.getInteger("bench.lambda10-warmup-batches", 400));
                    case "lambda100" -> lambda(100, Integer.getInteger("bench.lambda100-records", 3000),
                            Integer.getInteger("bench.lambda100-warmup-batches", 40));
                    case "local" -> local(Integer.getInteger("bench.local-records", 100_000));
                    case "fetch" -> fetch();
                    case "profile" -> profile();
                    case "profile-local" -> profileLocal();
                    case "profile-lambda" -> profileLambda(Integer.getInteger("bench.profile-lambda-batch", 10));
                    case "proxy" -> proxyOverhead(Integer.getInteger("bench.route-records", 3000));
                    default -> throw new IllegalArgumentException("unknown measure " + m);
                }
            }
        }
        say("benchmark ended " + Instant.now() + ", load average " + loadAverage());
        summary();
    }

    // ------------------------------------------------------------------------------------------ (a) route

    private void route(int n) throws Exception {
        say("\n== (a, c, d, g) aws-profile route vs the naive seed: " + n + " records, " + symbols + " symbols");
        List<String> records = SeedQuotes.contractRecords(repo, n, symbols);
        for (int r = 1; r <= repeats; r++) {
            if (r % 2 == 1) {
                routeProject(records, r, false, false);
                seed("route", n, 10, r, false);
            } else {
                seed("route", n, 10, r, false);
                routeProject(records, r, false, false);
            }
        }
        say("  counted runs (every DynamoDB, S3 and SNS call through the counting proxies; not timed):");
        routeProject(records, repeats + 1, false, true);
        seed("route", n, 10, repeats + 1, true);
    }

    private record RouteRun(double recordsPerS, double lakeRecordsPerS, double calls, double objects,
                            Map<String, Integer> operations, long rssPeakKb, long rssSteadyKb, int heapPeakMb,
                            int heapLiveMb) {
    }

    /**
     * One project run. Timed runs ({@code counted} false) reach DynamoDB, S3 and SNS directly (the proxies' hops would
     * slow every call) and Kinesis through its proxy (its first GetRecords starts the clock; a few calls a second);
     * counted runs reach every service through the proxies and give the calls per 1,000 records.
     */
    private RouteRun routeProject(List<String> records, int run, boolean profile, boolean counted) throws Exception {
        int n = records.size();
        String name = LoopbackAws.uniqueName("bench-route");
        createStream(name);
        putRecords(name, records);
        int k0 = servers.kinesis.count();
        Map<CountingProxy, Integer> marks = marks();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.main.profile", "aws");
        p.put("aws.kinesis-endpoint", servers.kinesis.endpoint());
        p.put("aws.dynamodb-endpoint", counted ? servers.dynamoDb.endpoint() : servers.aws.endpoint(LoopbackAws.Service.DYNAMODB));
        p.put("aws.s3-endpoint", counted ? servers.s3.endpoint() : servers.aws.endpoint(LoopbackAws.Service.S3));
        p.put("aws.sns-endpoint", counted ? servers.sns.endpoint() : servers.aws.endpoint(LoopbackAws.Service.SNS));
        p.put("aws.cbor-enabled", "false");
        p.put("aws.bootstrap", "true");
        p.put("aws.stream", name);
        p.put("aws.table", name);
        p.put("aws.bucket", name);
        p.put("aws.topic-arn", "arn:aws:sns:us-east-1:000000000000:" + name);
        p.put("report.topic-arn", "arn:aws:sns:us-east-1:000000000000:" + name + "-reports");
        commonAppProperties(p, Files.createTempDirectory(out, "route-data-"));
        String tag = profile ? "profile-route" : (counted ? "route-project-counted" : "route-project-" + run);
        App app = App.start(this, p, tag, profile);
        long tFirst = awaitFirst(servers.kinesis, k0, "GetRecords", app, Duration.ofMinutes(3));
        awaitCount(() -> countQuotes(name), n, app, Duration.ofMinutes(10));
        // Alerts: the crossings in the stored items (docs/data-contract.md §3), each published once.
        long tTable = System.nanoTime();
        int crossings = crossings(name);
        var topic = servers.aws.topic("000000000000", name);
        long published = awaitPublishes(topic, crossings, Duration.ofSeconds(30));
        // The last quote write (seen on the wire when counted, else when the poll found all N at rest) or publish
        // (WireMock's journal: the published messages at rest).
        long tStored = Math.max(counted ? lastWrite(servers.dynamoDb, marks.get(servers.dynamoDb), tFirst) : tTable,
                lastPublish(topic, tFirst));
        windowFrom = wall(tFirst);
        windowTo = wall(tStored);
        Thread.sleep(2000); // idle: the steady state after the load
        long rssSteady = app.rssKb();
        int heapLive = app.liveHeapMb();
        app.stop();
        long tLake = counted ? lastLakePut(marks.get(servers.s3), name) : System.nanoTime();
        List<String> lake = keys(name, "raw/");
        List<String> deadLetters = keys(name, "dead-letter/");
        long lakeLines = lake.stream().mapToLong(key -> lines(name, key)).sum();
        Map<String, Integer> ops = operations(marks, tFirst);
        int calls = ops.values().stream().mapToInt(Integer::intValue).sum();
        double rate = (n - 0.0) / ((tStored - tFirst) / 1e9);
        double lakeRate = n / ((tLake - tFirst) / 1e9);
        RouteRun result = new RouteRun(rate, lakeRate, calls * 1000.0 / n, lake.size() * 1000.0 / n, ops,
                app.rssPeakKb(), rssSteady, app.heapPeakMb(), heapLive);
        say(String.format(Locale.ROOT, "  run %d project%s: %.1f records/s (first GetRecords -> all stored and published, "
                        + "%d items at rest); incl. the stop that flushes the lake: %.1f records/s, %d lines in %d objects, "
                        + "%d dead letters; alerts published %d of %d crossings; %s; RSS peak %d MiB, "
                        + "idle %d MiB; heap peak %d MiB, live after GC %d MiB",
                run, profile ? " (JFR on)" : counted ? " COUNTED, not timed" : "", rate, countQuotes(name), lakeRate,
                lakeLines, lake.size(), deadLetters.size(), published, crossings,
                counted ? String.format(Locale.ROOT, "%.0f DynamoDB+S3+SNS calls per 1000 %s", calls * 1000.0 / n, ops)
                        : "calls not counted (direct)", app.rssPeakKb() / 1024, rssSteady / 1024, app.heapPeakMb(), heapLive));
        if (lakeLines != n || !deadLetters.isEmpty()) {
            note("route run " + run + ": lake holds " + lakeLines + " lines for " + n + " records, " + deadLetters.size()
                    + " dead letters");
        }
        if (counted) {
            add("(c) route: DynamoDB+S3+SNS calls per 1,000 records", "project", calls * 1000.0 / n, "calls");
        } else if (!profile) {
            add("(a) aws-profile route, records/s", "project", rate, "records/s");
            add("(a') route, incl. the stop that flushes the lake, records/s", "project", lakeRate, "records/s");
            add("(d) route: S3 objects (lake, at rest) per 1,000 records", "project", lake.size() * 1000.0 / n, "objects");
            add("(g) route JVM: RSS peak under load, MiB", "project", app.rssPeakKb() / 1024.0, "MiB");
            add("(g) route JVM: RSS idle after load, MiB", "project", rssSteady / 1024.0, "MiB");
            add("(g) route JVM: heap peak (before GC), MiB", "project", app.heapPeakMb(), "MiB");
            add("(g) route JVM: live heap after full GC, idle, MiB", "project", heapLive, "MiB");
        }
        return result;
    }

    /** The naive seed, unmodified, against the same servers (through the counting proxies). */

    /** What the counting proxies cost a client: the seed through them and straight to the servers, alternating. */
    private void proxyOverhead(int n) throws Exception {
        say("\n== the counting proxies' cost: the naive seed through them and directly, " + n + " records, alternating");
        for (int r = 1; r <= repeats; r++) {
            for (boolean through : r % 2 == 1 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                JsonNode j = seed("proxy", n, 10, r, through);
                add("seed records/s, through the counting proxies vs direct", through ? "through proxies" : "direct",
                        j.get("records_per_s").asDouble(), "records/s");
            }
        }
    }

    /** The seed; {@code throughProxies}: its calls counted (and slowed by the hops), else timed. */
    private JsonNode seed(String measure, int n, int batch, int run, boolean throughProxies) throws Exception {
        Map<CountingProxy, Integer> marks = marks();
        List<String> command = List.of("python3", repo.resolve("bench/naive-seed/run-seed.py").toString(),
                "--dynamodb-endpoint", throughProxies ? servers.dynamoDb.endpoint() : servers.aws.endpoint(LoopbackAws.Service.DYNAMODB),
                "--s3-endpoint", throughProxies ? servers.s3.endpoint() : servers.aws.endpoint(LoopbackAws.Service.S3),
                "--sns-endpoint", throughProxies ? servers.sns.endpoint() : servers.aws.endpoint(LoopbackAws.Service.SNS),
                "--records", String.valueOf(n), "--batch",
                String.valueOf(batch), "--symbols", String.valueOf(symbols));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(out.resolve("seed-" + measure + "-" + run + ".err").toFile());
        // boto3 1.36+ adds CRC32 checksums by default; S3Proxy needs them only when required (as the project's clients do).
        pb.environment().put("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required");
        pb.environment().put("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required");
        pb.environment().put("BENCH_ACCESS_KEY", BenchServers.ACCESS_KEY);
        pb.environment().put("BENCH_SECRET_KEY", BenchServers.SECRET_KEY);
        Process process = pb.start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("the naive seed failed: see " + out.resolve("seed-" + measure + "-" + run + ".err"));
        }
        JsonNode r = JSON.readTree(text.substring(text.lastIndexOf('\n') + 1));
        Map<String, Integer> ops = operations(marks, Long.MIN_VALUE);
        int calls = ops.values().stream().mapToInt(Integer::intValue).sum();
        int objects = ops.getOrDefault("s3:PutObject", 0);
        List<CountingProxy.Request> data = new ArrayList<>();
        for (CountingProxy p : servers.sinks()) {
            p.requests().subList(marks.get(p), p.count()).stream()
                    .filter(q -> !SETUP_OPERATIONS.contains(q.operation())).forEach(data::add);
        }
        long first = data.stream().mapToLong(CountingProxy.Request::nanos).min().orElse(0);
        long last = data.stream().mapToLong(CountingProxy.Request::nanos).max().orElse(1);
        double wireRate = n / ((last - first) / 1e9);
        say(String.format(Locale.ROOT, "  run %d seed%s (--records %d --batch %d): %.1f records/s (its own clock%s), "
                        + "batch p50 %.2f ms, p99 %.2f ms; %s (it reports %s)",
                run, throughProxies ? " COUNTED (through the proxies)" : "", n, batch, r.get("records_per_s").asDouble(),
                throughProxies ? String.format(Locale.ROOT, "; %.1f on the wire, first to last request", wireRate) : "",
                r.get("batch_ms_p50").asDouble(), r.get("batch_ms_p99").asDouble(),
                throughProxies ? String.format(Locale.ROOT, "%.0f calls per 1000 on the wire %s, %.0f S3 objects per 1000",
                        calls * 1000.0 / n, ops, objects * 1000.0 / n) : "direct, calls not counted",
                r.get("api_calls_per_1000").asText()));
        if (measure.equals("proxy")) {
            return r;
        }
        boolean route = measure.equals("route");
        if (throughProxies) {
            add(route ? "(c) route: DynamoDB+S3+SNS calls per 1,000 records"
                    : "(c) Lambda batch " + batch + ": DynamoDB+S3+SNS calls per 1,000 records", "seed", calls * 1000.0 / n, "calls");
            if (!route) {
                add("(d) Lambda batch " + batch + ": S3 objects per 1,000 records", "seed", objects * 1000.0 / n, "objects");
            }
        } else if (route) {
            add("(a) aws-profile route, records/s", "seed", r.get("records_per_s").asDouble(), "records/s");
            add("(a') route, incl. the stop that flushes the lake, records/s", "seed", r.get("records_per_s").asDouble(), "records/s");
            // One object per record (raw-data/<SYMBOL>/<timestamp>.json), by its design; counted on the wire too.
            add("(d) route: S3 objects (lake, at rest) per 1,000 records", "seed", 1000.0, "objects");
        } else {
            add("(b) Lambda warm batch of " + batch + ", p50 ms", "seed", r.get("batch_ms_p50").asDouble(), "ms");
            add("(b) Lambda warm batch of " + batch + ", p99 ms", "seed", r.get("batch_ms_p99").asDouble(), "ms");
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------ (b) Lambda

    /** Warm-up records: the measured ones under other symbols (WUP, then WUA, WUB, ... when they outnumber them). */
    private static List<String> warmup(List<String> records, int batch, int warmupBatches) throws IOException {
        List<String> warmup = new ArrayList<>();
        for (int i = 0; i < warmupBatches * batch; i++) {
            int n = records.size();
            warmup.add(SeedQuotes.renamed(records.get(i % n), i < n ? "WUP" : "WU" + (char) ('A' + i / n - 1)));
        }
        return warmup;
    }

    private void lambda(int batch, int n, int warmupBatches) throws Exception {
        if (lambdaClasspath == null) {
            throw new IllegalStateException("bench.lambda-classpath-file is not set (bench/run-all.sh sets it)");
        }
        say("\n== (b, c, d) Lambda handler, warm batches of " + batch + ": " + n + " records, " + symbols + " symbols, "
                + warmupBatches + " warm-up batches first");
        List<String> records = SeedQuotes.contractRecords(repo, n, symbols);
        List<String> warmup = warmup(records, batch, warmupBatches);
        Path quotesFile = out.resolve("lambda-quotes-" + n + ".jsonl");
        Path warmupFile = out.resolve("lambda-warmup-" + batch + ".jsonl");
        Files.write(quotesFile, records);
        Files.write(warmupFile, warmup);
        String bucket = "lambda-bench-" + batch;
        s3.createBucket(b -> b.bucket(bucket));
        for (int r = 1; r <= repeats; r++) {
            if (r % 2 == 1) {
                lambdaProject(batch, n, warmup.size(), quotesFile, warmupFile, bucket, r, false, false);
                seed("lambda" + batch, n, batch, r, false);
            } else {
                seed("lambda" + batch, n, batch, r, false);
                lambdaProject(batch, n, warmup.size(), quotesFile, warmupFile, bucket, r, false, false);
            }
        }
        say("  counted runs (every DynamoDB, S3 and SNS call through the counting proxies; not timed):");
        lambdaProject(batch, n, warmup.size(), quotesFile, warmupFile, bucket, repeats + 1, false, true);
        seed("lambda" + batch, n, batch, repeats + 1, true);
    }

    private void lambdaProject(int batch, int n, int warm, Path quotesFile, Path warmupFile, String bucket, int run,
                               boolean profile, boolean counted) throws Exception {
        String table = LoopbackAws.uniqueName("bench-lambda-" + batch);
        createTable(table);
        List<String> command = new ArrayList<>(List.of(javaBin,
                // The function's JAVA_TOOL_OPTIONS (infra/sam.yaml): C1 only.
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"));
        if (profile) {
            command.add("-XX:+FlightRecorder");
            command.add("-XX:StartFlightRecording=filename=" + out.resolve("profile-lambda-" + batch + ".jfr")
                    + ",settings=profile,dumponexit=true");
        }
        command.addAll(List.of("-cp", lambdaClasspath, "dev.quotestream.lambda.bench.LambdaBatchDriver",
                quotesFile.toString(), String.valueOf(batch), warmupFile.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(out.resolve("lambda-" + batch + "-project-" + run + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("AWS_REGION", BenchServers.REGION);
        env.put("AWS_ACCESS_KEY_ID", BenchServers.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", BenchServers.SECRET_KEY);
        env.put("AWS_ENDPOINT_URL_DYNAMODB", counted ? servers.dynamoDb.endpoint() : servers.aws.endpoint(LoopbackAws.Service.DYNAMODB));
        env.put("AWS_ENDPOINT_URL_S3", counted ? servers.s3.endpoint() : servers.aws.endpoint(LoopbackAws.Service.S3));
        env.put("AWS_ENDPOINT_URL_SNS", counted ? servers.sns.endpoint() : servers.aws.endpoint(LoopbackAws.Service.SNS));
        env.put("TABLE_NAME", table);
        env.put("BUCKET_NAME", bucket);
        env.put("TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:" + table);
        env.put("AWS_LAMBDA_FUNCTION_NAME", "quote-processor-bench");
        Process process = pb.start();
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        String warmLine = readUntil(err, "WARM ");
        Map<CountingProxy, Integer> marks = marks();
        windowFrom = Instant.now();
        try (Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            in.write("go\n");
        }
        String result = readUntil(err, "RESULT ");
        windowTo = Instant.now();
        Map<CountingProxy, Integer> after = marks();
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("the Lambda driver failed (run " + run + ")");
        }
        JsonNode r = JSON.readTree(result);
        List<Double> ms = new ArrayList<>();
        r.get("batch_ms").forEach(v -> ms.add(v.asDouble()));
        double p50 = Stats.percentile(ms, 50);
        double p99 = Stats.percentile(ms, 99);
        Map<String, Integer> ops = new TreeMap<>();
        for (CountingProxy p : servers.sinks()) {
            for (CountingProxy.Request q : p.requests().subList(marks.get(p), after.get(p))) {
                ops.merge(p.name() + ":" + q.operation(), 1, Integer::sum);
            }
        }
        int calls = ops.values().stream().mapToInt(Integer::intValue).sum();
        int objects = ops.getOrDefault("s3:PutObject", 0);
        long stored = countQuotes(table);
        say(String.format(Locale.ROOT, "  run %d project%s: batch p50 %.2f ms, p99 %.2f ms (%d batches, %d failures reported; "
                        + "%s); %d items at rest (expected %d incl. warm-up); %s",
                run, profile ? " (JFR on)" : counted ? " COUNTED (through the proxies)" : "", p50, p99, ms.size(),
                r.get("failures").asInt(), warmLine, stored, n + warm,
                counted ? String.format(Locale.ROOT, "%.0f calls per 1000 %s; %.0f S3 objects per 1000", calls * 1000.0 / n,
                        ops, objects * 1000.0 / n) : "direct, calls not counted"));
        if (stored != n + warm || r.get("failures").asInt() != 0) {
            note("Lambda batch " + batch + " run " + run + ": " + stored + " items at rest for " + (n + warm)
                    + " records, " + r.get("failures").asInt() + " failures reported");
        }
        if (profile) {
            return;
        }
        if (counted) {
            add("(c) Lambda batch " + batch + ": DynamoDB+S3+SNS calls per 1,000 records", "project", calls * 1000.0 / n, "calls");
            add("(d) Lambda batch " + batch + ": S3 objects per 1,000 records", "project", objects * 1000.0 / n, "objects");
        } else {
            add("(b) Lambda warm batch of " + batch + ", p50 ms", "project", p50, "ms");
            add("(b) Lambda warm batch of " + batch + ", p99 ms", "project", p99, "ms");
        }
    }

    private static String readUntil(BufferedReader err, String prefix) throws IOException {
        StringBuilder seen = new StringBuilder();
        for (String l; (l = err.readLine()) != null; ) {
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length());
            }
            if (seen.length() < 20_000) {
                seen.append(l).append('\n');
            }
        }
        throw new IllegalStateException("the Lambda driver ended before '" + prefix.trim() + "':\n" + seen);
    }

    // ------------------------------------------------------------------------------------------ (e) local

    private void local(int n) throws Exception {
        say("\n== (e, g) local profile: " + n + " records appended to data/stream.db, then the application with "
                + "fetching off (table + lake + alerts); no seed counterpart");
        List<String> records = SeedQuotes.contractRecords(repo, n, symbols);
        int runs = Integer.getInteger("bench.local-repeats", repeats);
        for (int r = 1; r <= runs; r++) {
            localRun(records, r, false);
        }
    }

    private void localRun(List<String> records, int run, boolean profile) throws Exception {
        int n = records.size();
        Path data = Files.createTempDirectory(out, "local-data-");
        LocalStreamLog log = new LocalStreamLog(data.resolve("stream.db"), "quotes", 1, Duration.ofHours(24));
        log.start();
        for (int i = 0; i < n; i += 5000) {
            List<LocalStreamLog.Append> chunk = new ArrayList<>();
            for (String q : records.subList(i, Math.min(n, i + 5000))) {
                chunk.add(new LocalStreamLog.Append(SeedQuotes.symbol(q), q.getBytes(StandardCharsets.UTF_8)));
            }
            log.append(chunk);
        }
        log.stop();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.main.profile", "local");
        commonAppProperties(p, data);
        App app = App.start(this, p, profile ? "profile-local" : "local-" + run, profile);
        Path table = data.resolve("quotes.db");
        long tFirst = awaitCount(() -> countLocal(table), 1, app, Duration.ofMinutes(3));
        long tStored = awaitCount(() -> countLocal(table), n, app, Duration.ofMinutes(30));
        windowFrom = wall(tFirst);
        windowTo = wall(tStored);
        long rssPeak = app.rssPeakKb();
        int heapPeak = app.heapPeakMb();
        Thread.sleep(2000); // idle on purpose: the RSS 2 s after the load is the "idle" figure
        long rssSteady = app.rssKb();
        int heapLive = app.liveHeapMb();
        long tStop = System.nanoTime();
        app.stop();
        long tLake = System.nanoTime();
        long lakeLines = lakeLines(data.resolve("raw"));
        long lakeFiles = lakeFiles(data.resolve("raw"));
        long alerts = Files.exists(data.resolve("alerts/alerts.jsonl")) ? Files.readAllLines(data.resolve("alerts/alerts.jsonl")).size() : 0;
        double rate = (n - 1) / ((tStored - tFirst) / 1e9);
        say(String.format(Locale.ROOT, "  run %d project%s: %.0f records/s (first row stored -> all %d rows stored, polled at "
                        + "rest every 100 ms); stop took %.1f s; lake %d lines in %d files; %d alert lines; RSS peak %d MiB, "
                        + "idle %d MiB; heap peak %d MiB, live after GC %d MiB",
                run, profile ? " (JFR on)" : "", rate, n, (tLake - tStop) / 1e9, lakeLines, lakeFiles, alerts,
                rssPeak / 1024, rssSteady / 1024, heapPeak, heapLive));
        if (lakeLines != n) {
            note("local run " + run + ": the lake holds " + lakeLines + " lines for " + n + " records");
        }
        if (!profile) {
            add("(e) local profile, " + n + " records, records/s", "project", rate, "records/s");
            add("(g) local JVM: RSS peak under load, MiB", "project", rssPeak / 1024.0, "MiB");
            add("(g) local JVM: RSS idle after load, MiB", "project", rssSteady / 1024.0, "MiB");
            add("(g) local JVM: heap peak (before GC), MiB", "project", heapPeak, "MiB");
            add("(g) local JVM: live heap after full GC, idle, MiB", "project", heapLive, "MiB");
        }
        deleteTree(data);
    }

    private static long countLocal(Path table) {
        if (!Files.exists(table)) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + table + "?mode=ro");
             Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=2000");
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM quotes")) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (Exception notYet) {
            return 0; // the table is not created yet
        }
    }

    private static long lakeLines(Path root) throws IOException {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".json")).mapToLong(f -> {
                try {
                    return Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static long lakeFiles(Path root) throws IOException {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".json")).count();
        }
    }

    // ------------------------------------------------------------------------------------------ (f) fetch

    private void fetch() throws Exception {
        say("\n== (f) fetch cycle: 500 symbols, 150 ms per answer (dev.quotestream.quotes.FetchBenchmark, its own JVM)");
        List<String> command = List.of(javaBin, "-Dbench.symbols=500", "-Dbench.delay-ms=150",
                "-Dbench.repeats=" + repeats, "-cp", appClasspath, "dev.quotestream.quotes.FetchBenchmark");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.MINUTES);
        Files.writeString(out.resolve("fetch.log"), text);
        Pattern parallel = Pattern.compile("run (\\d+): concurrency .*?: ([\\d,]+) ms");
        Pattern sequential = Pattern.compile("run (\\d+): sequential .*?: ([\\d,]+) ms");
        for (String line : text.split("\n")) {
            Matcher m = parallel.matcher(line);
            if (m.find()) {
                add("(f) fetch cycle, 500 symbols x 150 ms, s", "project", Double.parseDouble(m.group(2).replace(",", "")) / 1000, "s");
                say("  " + line.trim());
            }
            m = sequential.matcher(line);
            if (m.find()) {
                add("(f) fetch cycle, 500 symbols x 150 ms, s", "sequential (before)", Double.parseDouble(m.group(2).replace(",", "")) / 1000, "s");
                say("  " + line.trim());
            }
        }
        if (process.exitValue() != 0) {
            note("FetchBenchmark exited with " + process.exitValue() + "; see " + out.resolve("fetch.log"));
        }
    }

    // ------------------------------------------------------------------------------------------ (h) profile

    /** The local part of (h) alone: one run with JFR, bench.profile-local-records records. */
    private void profileLocal() throws Exception {
        say("\n== (h) where the time goes, local profile only: one run with JFR (settings=profile), not counted above");
        int localN = Integer.getInteger("bench.profile-local-records", 30_000);
        localRun(SeedQuotes.contractRecords(repo, localN, symbols), 0, true);
        JfrSummary.print(out.resolve("profile-local.jfr"), windowFrom, windowTo, this::say);
    }

    /** The Lambda part of (h) alone, at one batch size (bench.profile-lambda-batch, 10): one run with JFR. */
    private void profileLambda(int batch) throws Exception {
        say("\n== (h) where the time goes, Lambda batches of " + batch + " only: one run with JFR (settings=profile)");
        int n = batch == 10 ? Integer.getInteger("bench.lambda10-records", 2000)
                : Integer.getInteger("bench.lambda100-records", 3000);
        Path quotes = out.resolve("profile-lambda-quotes.jsonl");
        Path warm = out.resolve("profile-lambda-warmup.jsonl");
        List<String> records = SeedQuotes.contractRecords(repo, n, symbols);
        List<String> warmup = warmup(records, batch, batch == 10 ? Integer.getInteger("bench.lambda10-warmup-batches", 400)
                : Integer.getInteger("bench.lambda100-warmup-batches", 40));
        Files.write(quotes, records);
        Files.write(warm, warmup);
        s3.createBucket(b -> b.bucket("lambda-bench-profile-" + batch));
        lambdaProject(batch, n, warmup.size(), quotes, warm, "lambda-bench-profile-" + batch, 0, true, false);
        JfrSummary.print(out.resolve("profile-lambda-" + batch + ".jfr"), windowFrom, windowTo, this::say);
    }

    private void profile() throws Exception {
        say("\n== (h) where the time goes: one extra run each with JFR (settings=profile), not counted above");
        int routeN = Integer.getInteger("bench.route-records", 3000);
        routeProject(SeedQuotes.contractRecords(repo, routeN, symbols), 0, true, false);
        JfrSummary.print(out.resolve("profile-route.jfr"), windowFrom, windowTo, this::say);
        int localN = Integer.getInteger("bench.profile-local-records", 30_000);
        localRun(SeedQuotes.contractRecords(repo, localN, symbols), 0, true);
        JfrSummary.print(out.resolve("profile-local.jfr"), windowFrom, windowTo, this::say);
        if (lambdaClasspath != null) {
            int n = Integer.getInteger("bench.lambda100-records", 3000);
            Path quotes = out.resolve("profile-lambda-quotes.jsonl");
            Path warm = out.resolve("profile-lambda-warmup.jsonl");
            List<String> records = SeedQuotes.contractRecords(repo, n, symbols);
            List<String> warmup = new ArrayList<>();
            for (String q : records.subList(0, Math.min(n, 1000))) {
                warmup.add(SeedQuotes.renamed(q, "WUP"));
            }
            Files.write(quotes, records);
            Files.write(warm, warmup);
            s3.createBucket(b -> b.bucket("lambda-bench-profile"));
            lambdaProject(100, n, warmup.size(), quotes, warm, "lambda-bench-profile", 0, true, false);
            JfrSummary.print(out.resolve("profile-lambda-100.jfr"), windowFrom, windowTo, this::say);
        }
    }

    // ------------------------------------------------------------------------------------------ the application

    private void commonAppProperties(Map<String, String> p, Path data) throws IOException {
        p.put("data.dir", data.toString());
        p.put("pipeline.fetch-in-camel", "false");
        p.put("report.schedule-enabled", "false");
        p.put("dashboard.port", String.valueOf(LoopbackAws.freePort()));
        p.put("simulator.port", String.valueOf(LoopbackAws.freePort()));
        List<String> syms = new ArrayList<>();
        for (int i = 0; i < symbols; i++) {
            syms.add(String.format("SYM%03d", i));
        }
        p.put("quotes.symbols", String.join(",", syms));
    }

    /** The application in a JVM of its own (java -cp <test class path> QuotePipelineMain), as AppProcess starts it. */
    static final class App {
        private final Process process;
        private final Path gcLog;
        private final AtomicLong rssPeak = new AtomicLong();
        private final Thread sampler;

        private App(Process process, Path gcLog) {
            this.process = process;
            this.gcLog = gcLog;
            this.sampler = new Thread(() -> {
                while (process.isAlive()) {
                    rssPeak.accumulateAndGet(rss(process.pid()), Math::max);
                    try {
                        Thread.sleep(200); // sampling /proc: there is no event
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        static App start(PipelineBenchmark bench, Map<String, String> properties, String tag, boolean jfr) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(bench.javaBin);
            Path gcLog = bench.out.resolve(tag + "-gc.log");
            Files.deleteIfExists(gcLog);
            command.add("-Xlog:gc:file=" + gcLog);
            if (jfr) {
                command.add("-XX:+FlightRecorder");
                command.add("-XX:StartFlightRecording=filename=" + bench.out.resolve(tag + ".jfr") + ",settings=profile,dumponexit=true");
            }
            command.add("-Daws.accessKeyId=" + BenchServers.ACCESS_KEY);
            command.add("-Daws.secretAccessKey=" + BenchServers.SECRET_KEY);
            command.add("-Daws.cborEnabled=false");
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-cp");
            command.add(bench.appClasspath);
            command.add("dev.quotestream.QuotePipelineMain");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(bench.out.resolve(tag + ".log").toFile()).start();
            return new App(p, gcLog);
        }

        long rssKb() {
            return rss(process.pid());
        }

        long rssPeakKb() {
            return Math.max(rssPeak.get(), rssKb());
        }

        private static long rss(long pid) {
            try {
                for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (l.startsWith("VmRSS:")) {
                        return Long.parseLong(l.replaceAll("\\D+", ""));
                    }
                }
            } catch (IOException | NumberFormatException gone) {
                // the process ended
            }
            return 0;
        }

        private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

        int heapPeakMb() {
            int peak = 0;
            for (String l : gcLines()) {
                Matcher m = GC.matcher(l);
                if (m.find()) {
                    peak = Math.max(peak, Integer.parseInt(m.group(1)));
                }
            }
            return peak;
        }

        /** A full GC now (jcmd GC.run), then the heap it left: the live set. */
        int liveHeapMb() throws Exception {
            int before = gcLines().size();
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(process.pid()), "GC.run").redirectErrorStream(true).start();
            jcmd.getInputStream().readAllBytes();
            jcmd.waitFor(60, TimeUnit.SECONDS);
            for (int i = 0; i < 50; i++) {
                List<String> lines = gcLines();
                for (int k = lines.size() - 1; k >= before; k--) {
                    Matcher m = GC.matcher(lines.get(k));
                    if (lines.get(k).contains("Pause Full") && m.find()) {
                        return Integer.parseInt(m.group(2));
                    }
                }
                Thread.sleep(100); // the GC log is written asynchronously
            }
            return -1;
        }

        private List<String> gcLines() {
            try {
                return Files.exists(gcLog) ? Files.readAllLines(gcLog) : List.of();
            } catch (IOException e) {
                return List.of();
            }
        }

        boolean alive() {
            return process.isAlive();
        }

        /** SIGTERM, as an operator stops it: Camel Main's graceful shutdown (the lake's last objects are flushed). */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the application did not stop within 180 s of SIGTERM");
            }
        }
    }

    // ------------------------------------------------------------------------------------------ AWS helpers

    private void createStream(String name) throws InterruptedException {
        kinesis.createStream(b -> b.streamName(name).shardCount(1));
        while (kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            Thread.sleep(100); // polling the stream's status: there is no event
        }
    }

    /** PutRecords, 500 per call, failed entries retried (kinesis-local enforces the shard's write limit). */
    private void putRecords(String stream, List<String> records) throws Exception {
        List<PutRecordsRequestEntry> pending = new ArrayList<>();
        for (String q : records) {
            pending.add(PutRecordsRequestEntry.builder().partitionKey(SeedQuotes.symbol(q))
                    .data(SdkBytes.fromUtf8String(q)).build());
        }
        int i = 0;
        while (i < pending.size()) {
            List<PutRecordsRequestEntry> chunk = pending.subList(i, Math.min(pending.size(), i + 500));
            List<PutRecordsRequestEntry> left = new ArrayList<>(chunk);
            while (!left.isEmpty()) {
                List<PutRecordsRequestEntry> send = left;
                PutRecordsResponse r = kinesis.putRecords(b -> b.streamName(stream).records(send));
                List<PutRecordsRequestEntry> failed = new ArrayList<>();
                List<PutRecordsResultEntry> results = r.records();
                for (int k = 0; k < results.size(); k++) {
                    if (results.get(k).errorCode() != null) {
                        failed.add(send.get(k));
                    }
                }
                if (!failed.isEmpty()) {
                    // A failed entry must keep its order behind the ones before it only per partition key; kinesis-local
                    // fails a tail, so resending the failed ones in order keeps each symbol's order.
                    Thread.sleep(200); // backoff before resending the throttled entries
                }
                left = failed;
            }
            i += 500;
        }
    }

    private void createTable(String table) {
        ddb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("symbol").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("timestamp").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("symbol").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("timestamp").keyType(KeyType.RANGE).build()));
    }

    /** Quote items at rest (not the checkpoint and alert-state items that share the table). */
    private long countQuotes(String table) {
        try {
            long count = 0;
            Map<String, AttributeValue> start = null;
            do {
                ScanRequest.Builder b = ScanRequest.builder().tableName(table).select(Select.COUNT).consistentRead(true)
                        .filterExpression("NOT contains(#s, :hash)")
                        .expressionAttributeNames(Map.of("#s", "symbol"))
                        .expressionAttributeValues(Map.of(":hash", AttributeValue.fromS("#")));
                if (start != null) {
                    b.exclusiveStartKey(start);
                }
                var r = ddb.scan(b.build());
                count += r.count();
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null);
            return count;
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException notYet) {
            return 0;
        }
    }

    /** New anomaly crossings per symbol and trading day in the stored items (the alert rule of docs/data-contract.md). */
    private int crossings(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        ddb.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(items::add);
        items.removeIf(i -> i.get("symbol").s().contains("#"));
        items.sort((a, b) -> (a.get("symbol").s() + a.get("timestamp").s()).compareTo(b.get("symbol").s() + b.get("timestamp").s()));
        Map<String, Boolean> in = new HashMap<>();
        int crossings = 0;
        for (var i : items) {
            String day = ZonedDateTime.ofInstant(Instant.parse(i.get("timestamp").s()), NEW_YORK).toLocalDate().toString();
            String key = i.get("symbol").s() + "|" + day;
            boolean anomaly = i.get("anomaly").bool();
            if (anomaly && !in.getOrDefault(key, false)) {
                crossings++;
            }
            in.put(key, anomaly);
        }
        return crossings;
    }

    private List<String> keys(String bucket, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    private long lines(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String().lines().filter(l -> !l.isBlank()).count();
    }

    // ------------------------------------------------------------------------------------------ the wire

    private Map<CountingProxy, Integer> marks() {
        Map<CountingProxy, Integer> m = new HashMap<>();
        for (CountingProxy p : List.of(servers.kinesis, servers.dynamoDb, servers.s3, servers.sns)) {
            m.put(p, p.count());
        }
        return m;
    }

    /** DynamoDB, S3 and SNS requests since the marks, from {@code fromNanos} on, by operation (setup calls left out). */
    private Map<String, Integer> operations(Map<CountingProxy, Integer> marks, long fromNanos) {
        Map<String, Integer> ops = new TreeMap<>();
        for (CountingProxy p : servers.sinks()) {
            for (CountingProxy.Request q : p.requests().subList(marks.get(p), p.count())) {
                if (q.nanos() >= fromNanos && !SETUP_OPERATIONS.contains(q.operation())) {
                    ops.merge(p.name() + ":" + q.operation(), 1, Integer::sum);
                }
            }
        }
        return ops;
    }

    private static long awaitFirst(CountingProxy proxy, int mark, String operation, App app, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<CountingProxy.Request> rs = proxy.requests();
            for (CountingProxy.Request q : rs.subList(mark, rs.size())) {
                if (q.operation().equals(operation)) {
                    return q.nanos();
                }
            }
            if (!app.alive()) {
                throw new IllegalStateException("the application exited before its first " + operation);
            }
            Thread.sleep(20); // polling the proxy's journal
        }
        throw new IllegalStateException("no " + operation + " within " + timeout);
    }

    interface Count {
        long get() throws Exception;
    }

    /** Polls data at rest every 100 ms until it reaches n; returns System.nanoTime() when it was seen. */
    private static long awaitCount(Count count, long n, App app, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (count.get() >= n) {
                return System.nanoTime();
            }
            if (!app.alive()) {
                throw new IllegalStateException("the application exited before storing " + n + " records");
            }
            Thread.sleep(100); // polling data at rest
        }
        throw new IllegalStateException("fewer than " + n + " records at rest after " + timeout + " (" + count.get() + ")");
    }

    private static long awaitPublishes(dev.quotestream.testing.SnsTopic topic, long n, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = 0;
        while (System.nanoTime() < deadline) {
            seen = topic.publishes().size();
            if (seen >= n) {
                return seen;
            }
            Thread.sleep(100); // polling WireMock's journal
        }
        return seen;
    }

    /** The last Publish to the topic, from WireMock's journal, as a System.nanoTime() of this JVM. */
    private static long lastPublish(dev.quotestream.testing.SnsTopic topic, long from) {
        long lastMs = topic.publishes().stream().mapToLong(q -> q.getLoggedDate().getTime()).max().orElse(0);
        if (lastMs == 0) {
            return from;
        }
        return Math.max(from, System.nanoTime() - (System.currentTimeMillis() - lastMs) * 1_000_000L);
    }

    private static long awaitOps(CountingProxy proxy, int mark, String operation, long n, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = 0;
        while (System.nanoTime() < deadline) {
            List<CountingProxy.Request> rs = proxy.requests();
            seen = rs.subList(mark, rs.size()).stream().filter(q -> q.operation().equals(operation)).count();
            if (seen >= n) {
                return seen;
            }
            Thread.sleep(100); // polling the proxy's journal
        }
        return seen;
    }

    /** The head time of the last quote write (PutItem / BatchWriteItem not of a checkpoint) since the mark. */
    private static long lastWrite(CountingProxy ddb, int mark, long from) {
        long last = from;
        List<CountingProxy.Request> rs = ddb.requests();
        for (CountingProxy.Request q : rs.subList(mark, rs.size())) {
            String op = q.operation();
            if ((op.equals("PutItem") || op.equals("BatchWriteItem")) && !q.bodyStart().contains("CHECKPOINT#")) {
                last = Math.max(last, q.nanos());
            }
        }
        return last;
    }

    private static long lastOp(CountingProxy proxy, int mark, String operation, long from) {
        long last = from;
        List<CountingProxy.Request> rs = proxy.requests();
        for (CountingProxy.Request q : rs.subList(mark, rs.size())) {
            if (q.operation().equals(operation)) {
                last = Math.max(last, q.nanos());
            }
        }
        return last;
    }

    private long lastLakePut(int mark, String bucket) {
        long last = 0;
        List<CountingProxy.Request> rs = servers.s3.requests();
        for (CountingProxy.Request q : rs.subList(mark, rs.size())) {
            if (q.method().equals("PUT") && q.path().startsWith("/" + bucket + "/raw/")) {
                last = Math.max(last, q.nanos());
            }
        }
        return last;
    }

    // ------------------------------------------------------------------------------------------ results

    /** A System.nanoTime() of this JVM as a wall-clock instant. */
    private static Instant wall(long nanos) {
        return Instant.now().minusNanos(System.nanoTime() - nanos);
    }

    private void add(String measure, String side, double value, String unit) {
        results.computeIfAbsent(measure, k -> new LinkedHashMap<>()).computeIfAbsent(side, k -> new ArrayList<>()).add(value);
        units.put(measure, unit);
    }

    private void note(String text) {
        notes.add(text);
        say("  NOTE: " + text);
    }

    void say(String line) {
        System.out.println(line);
        System.out.flush();
        log.append(line).append('\n');
    }

    private void summary() throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("| measure | project (min / median / max) | other side (min / median / max) | ratio per repeat (min / median / max) |\n");
        md.append("|---|---|---|---|\n");
        for (var e : results.entrySet()) {
            Map<String, List<Double>> sides = e.getValue();
            String projectName = sides.containsKey("project") ? "project" : sides.keySet().iterator().next();
            List<Double> project = sides.get(projectName);
            String otherName = sides.keySet().stream().filter(s -> !s.equals(projectName)).findFirst().orElse(null);
            List<Double> other = otherName == null ? null : sides.get(otherName);
            String ratio = "-";
            if (project != null && other != null && project.size() == other.size()) {
                List<Double> ratios = new ArrayList<>();
                boolean higherIsBetter = units.get(e.getKey()).equals("records/s");
                for (int i = 0; i < project.size(); i++) {
                    ratios.add(higherIsBetter ? project.get(i) / other.get(i) : other.get(i) / project.get(i));
                }
                ratio = triple(ratios, "%.2f") + (higherIsBetter ? " (" + projectName + " / " : " (") + otherName
                        + (higherIsBetter ? ")" : " / " + projectName + ")");
            }
            md.append("| ").append(e.getKey()).append(" | ").append(project == null ? "-"
                            : (projectName.equals("project") ? "" : projectName + ": ") + triple(project, fmt(project)))
                    .append(" | ").append(other == null ? "-" : otherName + ": " + triple(other, fmt(other)))
                    .append(" | ").append(ratio).append(" |\n");
        }
        String runs = results.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n"));
        say("\n== summary (" + repeats + " repeats, alternating)\n" + md);
        if (!notes.isEmpty()) {
            say("notes:\n- " + String.join("\n- ", notes));
        }
        String stamp = Instant.now().toString().replace(":", "").substring(0, 15);
        Files.writeString(out.resolve("results-" + stamp + ".md"), log + "\n" + runs + "\n");
        say("written: " + out.resolve("results-" + stamp + ".md"));
    }

    private static String fmt(List<Double> v) {
        double max = v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return max >= 100 ? "%.0f" : max >= 10 ? "%.1f" : "%.2f";
    }

    private static String triple(List<Double> values, String format) {
        double[] t = Stats.minMedianMax(values);
        return String.format(Locale.ROOT, format + " / " + format + " / " + format, t[0], t[1], t[2]);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private String commit() {
        try {
            Process p = new ProcessBuilder("git", "-C", repo.toString(), "rev-parse", "--short", "HEAD").start();
            String c = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            Process d = new ProcessBuilder("git", "-C", repo.toString(), "status", "--porcelain", "--untracked-files=no").start();
            boolean dirty = !new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).isBlank();
            return c + (dirty ? " (with uncommitted changes)" : "");
        } catch (IOException e) {
            return "?";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
