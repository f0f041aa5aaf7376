package dev.quotestream.lambda;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quotestream.core.StreamRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kinesis event as Lambda delivers it, read record by record: a record whose data is not base64 is one bad
 * record (dead-lettered with its reason), not a failed invocation. And the ReportBatchItemFailures answer.
 */
public final class KinesisEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private KinesisEvents() {
    }

    /** One record of the event; {@code decodeError} names what was wrong with its data (then data is its text). */
    public record EventRecord(StreamRecord record, String decodeError) {
    }

    public static List<EventRecord> read(InputStream event) throws IOException {
        JsonNode root = MAPPER.readTree(event);
        List<EventRecord> records = new ArrayList<>();
        for (JsonNode r : root.path("Records")) {
            JsonNode k = r.path("kinesis");
            String data = k.path("data").asText("");
            byte[] bytes;
            String error = null;
            try {
                bytes = Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException notBase64) {
                bytes = data.getBytes(StandardCharsets.UTF_8);
                error = "record data is not valid base64 (" + notBase64.getMessage() + ")";
            }
            JsonNode arrival = k.path("approximateArrivalTimestamp");
            records.add(new EventRecord(new StreamRecord(shard(r.path("eventID").asText(null)),
                    k.path("sequenceNumber").asText(), k.path("partitionKey").asText(null), bytes,
                    arrival.isNumber() ? seconds(arrival.decimalValue()) : null), error));
        }
        return records;
    }

    /** From the Java events library's type, as the tests and the benchmark build it. */
    public static List<EventRecord> of(KinesisEvent event) {
        List<EventRecord> records = new ArrayList<>();
        if (event == null || event.getRecords() == null) {
            return records;
        }
        for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
            KinesisEvent.Record k = r.getKinesis();
            ByteBuffer data = k.getData() == null ? ByteBuffer.allocate(0) : k.getData().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            records.add(new EventRecord(new StreamRecord(shard(r.getEventID()), k.getSequenceNumber(),
                    k.getPartitionKey(), bytes, k.getApproximateArrivalTimestamp() == null ? null
                    : k.getApproximateArrivalTimestamp().toInstant()), null));
        }
        return records;
    }

    /** The shard of a record: its eventID is {@code <shard id>:<sequence number>}. */
    static String shard(String eventId) {
        if (eventId == null || eventId.indexOf(':') < 0) {
            return "shardId-unknown";
        }
        return eventId.substring(0, eventId.indexOf(':'));
    }

    private static Instant seconds(BigDecimal epochSeconds) {
        BigDecimal millis = epochSeconds.movePointRight(3);
        return Instant.ofEpochMilli(millis.longValue());
    }

    /** {@code {"batchItemFailures":[{"itemIdentifier":"<sequence number>"}, ...]}}. */
    public static void writeResponse(OutputStream out, List<String> failedSequenceNumbers) throws IOException {
        List<Map<String, String>> failures = new ArrayList<>();
        for (String sequence : failedSequenceNumbers) {
            failures.add(Map.of("itemIdentifier", sequence));
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("batchItemFailures", failures);
        MAPPER.writeValue(out, response);
    }
}
