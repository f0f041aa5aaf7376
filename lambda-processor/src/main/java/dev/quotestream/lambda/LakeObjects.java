package dev.quotestream.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quotestream.metrics.ProcessedQuote;
import dev.quotestream.pipeline.LakeLayout;

import java.time.Instant;
import java.util.List;

/**
 * The lake's keys and lines (docs/data-contract.md §4): the shared {@link LakeLayout} (compiled from the
 * root source, the format the Camel side's {@code LakeRecords} writes too), plus what only the Lambda
 * needs: a serialization failure is not a poison record here, and one object's content is written at once.
 */
public final class LakeObjects {

    private final LakeLayout layout;

    public LakeObjects(String prefix) {
        this.layout = new LakeLayout(prefix);
    }

    /** {@code raw/dt=YYYY-MM-DD/ticker=SYMBOL}. */
    public String partition(ProcessedQuote quote) {
        return layout.partition(quote);
    }

    /** One JSON line of the raw quote (no newline), numbers without trailing zeros. */
    public String jsonLine(ProcessedQuote quote) {
        try {
            return layout.jsonLine(quote);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize lake line of " + quote.symbol(), e);
        }
    }

    /** {@code <partition>/part-<UTC flush time>-<8 hex>.json}. */
    public String objectKey(String partition, Instant flushTime) {
        return layout.objectKey(partition, flushTime);
    }

    /** JSON Lines, newline-terminated. */
    public static String content(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }
}
