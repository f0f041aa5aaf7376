package dev.quotestream.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quotestream.metrics.ProcessedQuote;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.time.Instant;

/**
 * The lake's raw records and object keys (docs/data-contract.md, "Lake layout"):
 * {@code raw/dt=YYYY-MM-DD/ticker=SYMBOL/part-<UTC flush time>-<id>.json}, JSON Lines inside; the format
 * itself is {@link LakeLayout}'s, shared with the Lambda. Also the aggregation strategy that batches one
 * partition's records into one object per flush.
 */
public class LakeRecords implements AggregationStrategy {

    public static final String PARTITION_HEADER = "lakePartition";
    public static final String KEY_HEADER = "lakeObjectKey";
    public static final String COUNT_HEADER = "lakeRecordCount";

    private final LakeLayout layout;

    public LakeRecords(String prefix) {
        this.layout = new LakeLayout(prefix);
    }

    /** The partition of a quote: hive-style names that collide with no JSON field. */
    public String partition(ProcessedQuote quote) {
        return layout.partition(quote);
    }

    /** One JSON line of the raw quote, numbers without trailing zeros. */
    public String jsonLine(ProcessedQuote quote) throws JsonProcessingException {
        return layout.jsonLine(quote);
    }

    public String objectKey(String partition, Instant flushTime) {
        return layout.objectKey(partition, flushTime);
    }

    @Override
    public Exchange aggregate(Exchange batch, Exchange line) {
        if (batch == null) {
            line.getMessage().setHeader(COUNT_HEADER, 1);
            return line;
        }
        String joined = batch.getMessage().getBody(String.class) + "\n" + line.getMessage().getBody(String.class);
        batch.getMessage().setBody(joined);
        batch.getMessage().setHeader(COUNT_HEADER, batch.getMessage().getHeader(COUNT_HEADER, Integer.class) + 1);
        return batch;
    }

    @Override
    public void onCompletion(Exchange batch) {
        String partition = batch.getMessage().getHeader(PARTITION_HEADER, String.class);
        batch.getMessage().setHeader(KEY_HEADER, objectKey(partition, Instant.now()));
        batch.getMessage().setBody(batch.getMessage().getBody(String.class) + "\n");
    }
}
