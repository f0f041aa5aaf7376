package dev.quotestream.core;

import java.time.Instant;
import java.util.List;

/** Port: one lake object holding one partition's JSON lines (S3 on AWS). */
public interface LakeWriter {

    /** Writes the lines of {@code partition} as one object named after {@code flushTime}; throws when not written. */
    void write(String partition, List<String> lines, Instant flushTime);
}
