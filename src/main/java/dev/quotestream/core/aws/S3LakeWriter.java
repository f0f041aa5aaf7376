package dev.quotestream.core.aws;

import dev.quotestream.core.LakeLayout;
import dev.quotestream.core.LakeWriter;
import dev.quotestream.core.ObjectKinds;

import java.time.Instant;
import java.util.List;

/** One lake object per partition: JSON Lines, {@code application/x-ndjson}, SSE (through {@link S3Objects}). */
public class S3LakeWriter implements LakeWriter {

    private final S3Objects objects;
    private final LakeLayout layout;

    public S3LakeWriter(S3Objects objects, LakeLayout layout) {
        this.objects = objects;
        this.layout = layout;
    }

    @Override
    public void write(String partition, List<String> lines, Instant flushTime) {
        objects.put(layout.objectKey(partition, flushTime), LakeLayout.content(lines), ObjectKinds.LAKE);
    }
}
