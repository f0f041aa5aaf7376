package dev.quotestream.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One cold start, in a fresh JVM whose class path is the shaded Lambda jar plus this class: the handler's
 * static init (config, SDK clients, EMF) and its first batch, the event read from a fixture file and handed over as
 * the runtime does (the event JSON as a stream). Prints one JSON line. Started by {@link ColdStartBenchmark}.
 */
public final class ColdStartRun {

    public static void main(String[] args) throws Exception {
        long mainStarted = System.nanoTime();
        long jvmStartEpochMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        KinesisHandler handler = new KinesisHandler(); // runs the static init
        long initDone = System.nanoTime();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        int records;
        try (InputStream event = Files.newInputStream(Path.of(args[0]))) {
            handler.handleRequest(event, response, null);
        }
        long firstBatchDone = System.nanoTime();
        long endEpochMs = System.currentTimeMillis();
        ObjectMapper json = new ObjectMapper();
        records = json.readTree(Path.of(args[0]).toFile()).get("Records").size();
        JsonNode answer = json.readTree(response.toByteArray());
        System.err.println("COLDSTART {\"init_ms\":" + (initDone - mainStarted) / 1_000_000
                + ",\"first_batch_ms\":" + (firstBatchDone - initDone) / 1_000_000
                + ",\"jvm_start_to_done_ms\":" + (endEpochMs - jvmStartEpochMs)
                + ",\"records\":" + records
                + ",\"batch_item_failures\":" + answer.get("batchItemFailures").size() + "}");
        System.exit(0);
    }
}
