package dev.quotestream.core;

import java.time.Instant;

/**
 * One record as read from a stream (Kinesis for the route and the Lambda, the local stream): where it is
 * (shard, sequence number), its partition key, its bytes as written and when the stream received it.
 * The shard and sequence name its dead letter, so a redelivery overwrites the same key.
 */
public record StreamRecord(String shard, String sequence, String partitionKey, byte[] data, Instant arrival) {

    /** {@code shard/sequence}: a record's position, as the checkpoints and the lake acknowledgements name it. */
    public String position() {
        return position(shard, sequence);
    }

    public static String position(String shard, String sequence) {
        return shard + "/" + sequence;
    }
}
