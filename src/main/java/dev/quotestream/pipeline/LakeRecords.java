package dev.quotestream.pipeline;

import dev.quotestream.core.LakeLayout;
import dev.quotestream.core.StreamRecord;
import dev.quotestream.core.metrics.ProcessedQuote;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The lake's raw records and object keys (docs/data-contract.md, "Lake layout"):
 * {@code raw/dt=YYYY-MM-DD/ticker=SYMBOL/part-<UTC flush time>-<id>.json}, JSON Lines inside; the format itself is
 * {@link LakeLayout}'s, shared with the Lambda. Also the aggregation strategy that batches one partition's records
 * into one object per flush, keeping the stream positions of its lines: once the object is written, they are
 * acknowledged ({@code streamPositions.lakeWritten}), and only then may a checkpoint pass those records.
 */
public class LakeRecords implements AggregationStrategy {

    public static final String PARTITION_HEADER = "lakePartition";
    public static final String KEY_HEADER = "lakeObjectKey";
    public static final String COUNT_HEADER = "lakeRecordCount";
    /** The stream positions ({@code shard/sequence}) of the lines in a batch. */
    public static final String POSITIONS_PROPERTY = "lakePositions";

    private final LakeLayout layout;
    private final int maxLinesPerObject;
    /** Lines buffered per partition, in the object being filled (under the aggregator's lock; read by lakeGroups). */
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> buffered = new java.util.concurrent.ConcurrentHashMap<>();

    private final java.util.concurrent.atomic.AtomicInteger bufferedTotal = new java.util.concurrent.atomic.AtomicInteger();
    private final int maxBufferedLines;

    /**
     * @param maxBufferedLines lines held in the buffer, all partitions together, before every object is written
     *                         ({@code lake.max-buffered-records}): each buffered line's record is not final yet, and
     *                         the stream is not read past {@code stream.max-in-flight} such records
     */
    public LakeRecords(String prefix, int maxLinesPerObject, int maxBufferedLines) {
        if (maxLinesPerObject < 1) {
            throw new IllegalArgumentException("lake.max-records-per-object must be at least 1, was " + maxLinesPerObject);
        }
        if (maxBufferedLines < 1) {
            throw new IllegalArgumentException("lake.max-buffered-records must be at least 1, was " + maxBufferedLines);
        }
        this.layout = new LakeLayout(prefix);
        this.maxLinesPerObject = maxLinesPerObject;
        this.maxBufferedLines = maxBufferedLines;
    }

    /**
     * The whole buffer is written now (quote-process): it holds {@code lake.max-buffered-records} lines, whose records
     * would otherwise wait for the timed flush and hold the stream's reads. (A stop writes it too: forceCompletionOnStop.)
     */
    public boolean mustFlush() {
        return bufferedTotal.get() >= maxBufferedLines;
    }

    /**
     * How many more lines the partition's object takes before it is full: a batch's group is cut to fit, so that an
     * object holds exactly {@code lake.max-records-per-object} lines when it completes by size, never more.
     */
    public int room(String partition) {
        int left = maxLinesPerObject - buffered.getOrDefault(partition, 0);
        return left < 1 ? maxLinesPerObject : left;
    }

    public LakeLayout layout() {
        return layout;
    }

    public int maxLinesPerObject() {
        return maxLinesPerObject;
    }

    /** The aggregate's completion by size (completionPredicate): the object holds its maximum of lines. */
    public boolean isFull(Exchange object) {
        Integer count = object.getMessage().getHeader(COUNT_HEADER, Integer.class);
        return count != null && count >= maxLinesPerObject;
    }

    /** The partition of a quote: hive-style names that collide with no JSON field. */
    public String partition(ProcessedQuote quote) {
        return layout.partition(quote);
    }

    /** One JSON line of the raw quote, numbers as given. */
    public String jsonLine(ProcessedQuote quote) {
        return layout.jsonLine(quote);
    }

    public String objectKey(String partition, Instant flushTime) {
        return layout.objectKey(partition, flushTime);
    }

    @Override
    public Exchange aggregate(Exchange batch, Exchange line) {
        // A line, or a batch's group of lines of this partition (count header and positions already set).
        Integer count = line.getMessage().getHeader(COUNT_HEADER, Integer.class);
        @SuppressWarnings("unchecked")
        List<String> linePositions = line.getProperty(POSITIONS_PROPERTY, List.class);
        if (count == null) {
            count = 1;
            linePositions = new ArrayList<>();
            String position = position(line);
            if (position != null) {
                linePositions.add(position);
            }
        }
        String partition = line.getMessage().getHeader(PARTITION_HEADER, String.class);
        if (partition != null) {
            buffered.merge(partition, count, Integer::sum);
            bufferedTotal.addAndGet(count);
        }
        if (batch == null) {
            line.setProperty(POSITIONS_PROPERTY, new ArrayList<>(linePositions));
            line.getMessage().setHeader(COUNT_HEADER, count);
            // One builder per object: joining strings would copy the whole object at every line.
            line.getMessage().setBody(new StringBuilder(line.getMessage().getBody(String.class)));
            return line;
        }
        batch.getMessage().getBody(StringBuilder.class).append('\n').append(line.getMessage().getBody(String.class));
        batch.getMessage().setHeader(COUNT_HEADER, batch.getMessage().getHeader(COUNT_HEADER, Integer.class) + count);
        @SuppressWarnings("unchecked")
        List<String> positions = batch.getProperty(POSITIONS_PROPERTY, List.class);
        positions.addAll(linePositions);
        return batch;
    }

    private static String position(Exchange line) {
        StreamRecord record = line.getProperty(StreamRecords.PROPERTY, StreamRecord.class);
        return record == null || record.shard() == null || record.sequence() == null ? null : record.position();
    }

    @Override
    public void onCompletion(Exchange batch) {
        String partition = batch.getMessage().getHeader(PARTITION_HEADER, String.class);
        Integer written = partition == null ? null : buffered.remove(partition);
        if (written != null) {
            bufferedTotal.addAndGet(-written);
        }
        batch.getMessage().setHeader(KEY_HEADER, objectKey(partition, Instant.now()));
        batch.getMessage().setBody(batch.getMessage().getBody(StringBuilder.class).append('\n').toString());
    }
}
