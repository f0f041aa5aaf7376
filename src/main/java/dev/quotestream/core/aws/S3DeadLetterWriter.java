package dev.quotestream.core.aws;

import dev.quotestream.core.DeadLetter;
import dev.quotestream.core.DeadLetterWriter;
import dev.quotestream.core.ObjectKinds;

/** A dead letter as one S3 object at its deterministic key ({@code application/json}, SSE). */
public class S3DeadLetterWriter implements DeadLetterWriter {

    private final S3Objects objects;
    private final String prefix;

    public S3DeadLetterWriter(S3Objects objects, String prefix) {
        this.objects = objects;
        this.prefix = prefix;
    }

    @Override
    public void write(DeadLetter letter) {
        objects.put(letter.key(prefix), letter.json(), ObjectKinds.DEAD_LETTER);
    }
}
