package dev.quotestream.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * One cold start, in a fresh JVM whose class path is the shaded Lambda jar plus this class: the handler's
 * static init (config, SDK clients, EMF) and its first batch, the event read from a fixture file as the
 * runtime would hand it over. Prints one JSON line. Started by {@link ColdStartBenchmark}.
 */
public final class ColdStartRun {

    public static void main(String[] args) throws Exception {
        long mainStarted = System.nanoTime();
        long jvmStartEpochMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        KinesisHandler handler = new KinesisHandler(); // runs the static init
        long initDone = System.nanoTime();
        KinesisEvent event = read(Path.of(args[0]));
        StreamsEventResponse response = handler.handleRequest(event, null);
        long firstBatchDone = System.nanoTime();
        long endEpochMs = System.currentTimeMillis();
        System.err.println("COLDSTART {\"init_ms\":" + (initDone - mainStarted) / 1_000_000
                + ",\"first_batch_ms\":" + (firstBatchDone - initDone) / 1_000_000
                + ",\"jvm_start_to_done_ms\":" + (endEpochMs - jvmStartEpochMs)
                + ",\"records\":" + event.getRecords().size()
                + ",\"batch_item_failures\":" + response.getBatchItemFailures().size() + "}");
        System.exit(0);
    }

    /** The fixture, decoded as the Lambda runtime does: base64 data to bytes. */
    static KinesisEvent read(Path fixture) throws Exception {
        JsonNode root = new ObjectMapper().readTree(fixture.toFile());
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (JsonNode r : root.get("Records")) {
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setKinesisSchemaVersion(r.at("/kinesis/kinesisSchemaVersion").asText());
            kinesis.setPartitionKey(r.at("/kinesis/partitionKey").asText());
            kinesis.setSequenceNumber(r.at("/kinesis/sequenceNumber").asText());
            kinesis.setData(ByteBuffer.wrap(Base64.getDecoder().decode(r.at("/kinesis/data").asText())));
            kinesis.setApproximateArrivalTimestamp(new Date((long) (r.at("/kinesis/approximateArrivalTimestamp").asDouble() * 1000)));
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventSource(r.get("eventSource").asText());
            record.setEventID(r.get("eventID").asText());
            record.setEventSourceARN(r.get("eventSourceARN").asText());
            record.setAwsRegion(r.get("awsRegion").asText());
            records.add(record);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }
}
