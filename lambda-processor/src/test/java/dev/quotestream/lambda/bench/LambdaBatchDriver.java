package dev.quotestream.lambda.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quotestream.lambda.KinesisHandler;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Not a test: drives the deployed entry point, {@link KinesisHandler#handleRequest}, with real Kinesis event JSON
 * (the shape Lambda delivers: base64 data, sequence numbers, eventID, approximateArrivalTimestamp), batch after batch,
 * and times each call. Started in a JVM of its own by {@code dev.quotestream.bench.PipelineBenchmark}, with the
 * function's environment (TABLE_NAME, BUCKET_NAME, TOPIC_ARN, AWS_ENDPOINT_URL_*), so the handler's static init is
 * the function's.
 *
 * <pre>
 * args: QUOTES_FILE BATCH_SIZE WARMUP_FILE
 *   QUOTES_FILE: one stream record (quote JSON) per line, the measured records, in order
 *   WARMUP_FILE: records for the warm-up batches (other symbols), handled first and not timed
 * </pre>
 * Protocol on stderr: "WARM" after the warm-up; it then waits for one line on stdin (the harness snapshots its wire
 * counters) and prints "RESULT {json}" with every batch's time in ms. The handler's own logs go to stdout.
 */
public final class LambdaBatchDriver {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/bench-quotes";
    /** Increasing, and unique across runs: 56 digits like Kinesis's. */
    private static long sequence = System.currentTimeMillis() * 1000;

    public static void main(String[] args) throws Exception {
        List<String> records = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        int batch = Integer.parseInt(args[1]);
        List<String> warmup = Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8);
        KinesisHandler handler = new KinesisHandler(); // static init: config, clients, priming

        int warmFailures = 0;
        for (int i = 0; i < warmup.size(); i += batch) {
            warmFailures += invoke(handler, event(warmup.subList(i, Math.min(warmup.size(), i + batch)))).failures;
        }
        System.err.println("WARM {\"warmup_records\":" + warmup.size() + ",\"warmup_failures\":" + warmFailures + "}");
        System.err.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();

        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < records.size(); i += batch) {
            events.add(event(records.subList(i, Math.min(records.size(), i + batch))));
        }
        StringBuilder times = new StringBuilder();
        int failures = 0;
        long total = 0;
        for (byte[] e : events) {
            Outcome o = invoke(handler, e);
            failures += o.failures;
            total += o.nanos;
            if (times.length() > 0) {
                times.append(',');
            }
            times.append(BigDecimal.valueOf(o.nanos).movePointLeft(6).setScale(3, java.math.RoundingMode.HALF_EVEN).toPlainString());
        }
        System.err.println("RESULT {\"records\":" + records.size() + ",\"batch_size\":" + batch + ",\"batches\":" + events.size()
                + ",\"failures\":" + failures + ",\"total_ms\":" + total / 1_000_000 + ",\"batch_ms\":[" + times + "]}");
        System.err.flush();
        System.exit(0);
    }

    private record Outcome(long nanos, int failures) {
    }

    private static Outcome invoke(KinesisHandler handler, byte[] event) throws Exception {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        long start = System.nanoTime();
        handler.handleRequest(new ByteArrayInputStream(event), response, null);
        long nanos = System.nanoTime() - start;
        int failures = JSON.readTree(response.toByteArray()).path("batchItemFailures").size();
        return new Outcome(nanos, failures);
    }

    /** A Kinesis event as Lambda delivers it (fields as in lambda-processor's events/batch-10-records.json). */
    private static byte[] event(List<String> quotes) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("Records");
        double arrival = System.currentTimeMillis() / 1000.0;
        for (String q : quotes) {
            String symbol = JSON.readTree(q).path("symbol").asText();
            String seq = "49590338271490256608559692538" + String.format("%027d", sequence++);
            ObjectNode r = list.addObject();
            ObjectNode k = r.putObject("kinesis");
            k.put("kinesisSchemaVersion", "1.0");
            k.put("partitionKey", symbol);
            k.put("sequenceNumber", seq);
            k.put("data", Base64.getEncoder().encodeToString(q.getBytes(StandardCharsets.UTF_8)));
            k.put("approximateArrivalTimestamp", arrival);
            r.put("eventSource", "aws:kinesis");
            r.put("eventVersion", "1.0");
            r.put("eventID", "shardId-000000000000:" + seq);
            r.put("eventName", "aws:kinesis:record");
            r.put("invokeIdentityArn", "arn:aws:iam::123456789012:role/quote-pipeline-QuoteProcessorRole-BENCH");
            r.put("awsRegion", "us-east-1");
            r.put("eventSourceARN", STREAM_ARN);
        }
        return JSON.writeValueAsBytes(root);
    }
}
