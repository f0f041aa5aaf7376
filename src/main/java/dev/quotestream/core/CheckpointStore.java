package dev.quotestream.core;

/** Where a stream's checkpoints live, one per shard: the last sequence number whose record and all before it are final. */
public interface CheckpointStore {

    /** The stored checkpoint of a shard, or null. */
    String load(String shard);

    void save(String shard, String sequence);
}
