package dev.quotestream.lambda;

import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.LoopbackAws.Service;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold-start benchmark (not a test): starts dynalite, S3Proxy and WireMock-SNS on loopback ({@link LoopbackAws}), then runs
 * {@link ColdStartRun} N times, each in a fresh JVM on the shaded jar (fresh table each run, so every run
 * does the same writes), and prints each run and the median/min/max.
 *
 * <pre>
 * mvn -B -ntp -f lambda-processor/pom.xml clean package -DskipTests
 * mvn -B -ntp -q -f lambda-processor/pom.xml exec:java -Dbenchmark.runs=7
 * </pre>
 */
public final class ColdStartBenchmark {

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\\d+)");

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("benchmark.runs", 7);
        Path project = Path.of(System.getProperty("project.dir", ".")).toAbsolutePath().normalize();
        if (!Files.exists(project.resolve("pom.xml")) || !project.getFileName().toString().equals("lambda-processor")) {
            project = project.resolve("lambda-processor");
        }
        Path jar = project.resolve("target/lambda-processor.jar");
        Path testClasses = project.resolve("target/test-classes");
        Path fixture = testClasses.resolve("events/batch-10-records.json");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no " + jar + ": run mvn -f lambda-processor/pom.xml package first");
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Map<String, Long>> results = new ArrayList<>();
        LoopbackAws aws = LoopbackAws.shared(); // stopped when this JVM exits
        try (DynamoDbClient ddb = TestSupport.dynamoDb(); S3Client s3 = TestSupport.s3()) {
            s3.createBucket(b -> b.bucket("coldstart"));
            for (int run = 1; run <= runs; run++) {
                String table = "coldstart-" + run;
                TestSupport.createTable(ddb, table);
                ProcessBuilder pb = new ProcessBuilder(javaBin, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                        "-cp", jar + java.io.File.pathSeparator + testClasses,
                        ColdStartRun.class.getName(), fixture.toString());
                Map<String, String> env = pb.environment();
                env.put("AWS_REGION", "us-east-1");
                env.put("AWS_ACCESS_KEY_ID", LoopbackAws.ACCESS_KEY);
                env.put("AWS_SECRET_ACCESS_KEY", LoopbackAws.SECRET_KEY);
                env.put("AWS_ENDPOINT_URL_DYNAMODB", aws.endpoint(Service.DYNAMODB));
                env.put("AWS_ENDPOINT_URL_S3", aws.endpoint(Service.S3));
                env.put("AWS_ENDPOINT_URL_SNS", aws.endpoint(Service.SNS));
                env.put("TABLE_NAME", table);
                env.put("BUCKET_NAME", "coldstart");
                env.put("TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:stock-quote-alerts");
                env.put("AWS_LAMBDA_FUNCTION_NAME", "quote-processor-benchmark");
                pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
                long launched = System.nanoTime();
                Process process = pb.start();
                String line = null;
                try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = err.readLine()) != null; ) {
                        if (l.startsWith("COLDSTART ")) {
                            line = l.substring("COLDSTART ".length());
                        }
                    }
                }
                if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0 || line == null) {
                    throw new IllegalStateException("cold-start run " + run + " failed");
                }
                long wall = (System.nanoTime() - launched) / 1_000_000;
                Map<String, Long> r = new java.util.LinkedHashMap<>();
                Matcher m = FIELD.matcher(line);
                while (m.find()) {
                    r.put(m.group(1), Long.parseLong(m.group(2)));
                }
                r.put("process_wall_ms", wall);
                if (r.get("batch_item_failures") != 0) {
                    throw new IllegalStateException("run " + run + " reported failures: " + line);
                }
                results.add(r);
                System.out.println("run " + run + ": " + r);
            }
        }
        for (String metric : List.of("init_ms", "first_batch_ms", "jvm_start_to_done_ms", "process_wall_ms")) {
            List<Long> values = results.stream().map(r -> r.get(metric)).sorted().toList();
            long median = values.get(values.size() / 2);
            System.out.printf("%-22s median %5d  min %5d  max %5d  (ms, %d runs)%n", metric, median,
                    values.get(0), values.get(values.size() - 1), values.size());
        }
        System.out.printf("artifact %s: %d bytes%n", jar.getFileName(), Files.size(jar));
    }
}
