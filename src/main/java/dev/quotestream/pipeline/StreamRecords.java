package dev.quotestream.pipeline;

import dev.quotestream.core.StreamRecord;
import org.apache.camel.Exchange;

import java.time.Instant;
import java.util.Date;

/**
 * The exchange of a stream consumer (Kinesis or the local stream: the same headers) as the core's
 * {@link StreamRecord}: shard, sequence number, partition key, the bytes as written, and the arrival time.
 */
public class StreamRecords {

    public static final String PROPERTY = "streamRecord";
    public static final String SHARD_ID = "CamelAwsKinesisShardId";
    public static final String SEQUENCE_NUMBER = "CamelAwsKinesisSequenceNumber";
    public static final String PARTITION_KEY = "CamelAwsKinesisPartitionKey";
    public static final String ARRIVAL = "CamelAwsKinesisApproximateArrivalTimestamp";

    public StreamRecord of(Exchange exchange) {
        var in = exchange.getMessage();
        byte[] data = in.getBody(byte[].class);
        return new StreamRecord(in.getHeader(SHARD_ID, String.class), in.getHeader(SEQUENCE_NUMBER, String.class),
                in.getHeader(PARTITION_KEY, String.class), data == null ? new byte[0] : data, arrival(in.getHeader(ARRIVAL)));
    }

    private static Instant arrival(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Date d) {
            return d.toInstant();
        }
        if (value instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        return null;
    }
}
