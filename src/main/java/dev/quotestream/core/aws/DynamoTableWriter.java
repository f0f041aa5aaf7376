package dev.quotestream.core.aws;

import dev.quotestream.core.Failures;
import dev.quotestream.core.TableWriter;
import dev.quotestream.core.metrics.ProcessedQuote;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processed records into DynamoDB with {@code BatchWriteItem}, at most 25 items per call (camel-aws2-ddb 4.17 has
 * no batch write: this is the SDK client the component uses). Items a call leaves in {@code UnprocessedItems} are sent
 * again with exponential backoff and full jitter; what is still unprocessed after the last attempt becomes that
 * record's failure (transient: retried from the stream). A call the service rejects for good (ValidationException:
 * "Number overflow", an item too large) is split into single PutItems, so that only the bad item is poison.
 * Two quotes with the same key in one batch are one item (a call may not name a key twice): the later one is written.
 */
public class DynamoTableWriter implements TableWriter {

    public static final int MAX_ITEMS_PER_CALL = 25;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Failures failures = AwsErrors.failures();
    private final DynamoItems items = new DynamoItems();
    private final int maxAttempts;
    private final long baseBackoffMs;
    private final long maxBackoffMs;
    /** Runs the calls of a batch larger than 25 items at once; null: one after the other. */
    private java.util.concurrent.ExecutorService calls;

    public DynamoTableWriter(DynamoDbClient dynamoDb, String table) {
        this(dynamoDb, table, 8, 25, 2000);
    }

    /** The BatchWriteItem calls of one batch (25 items each) are made at once on {@code pool}. */
    public DynamoTableWriter concurrently(java.util.concurrent.ExecutorService pool) {
        this.calls = pool;
        return this;
    }

    /** @param maxAttempts calls per chunk, the first included, before unprocessed items count as failed */
    public DynamoTableWriter(DynamoDbClient dynamoDb, String table, int maxAttempts, long baseBackoffMs,
                             long maxBackoffMs) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.maxAttempts = maxAttempts;
        this.baseBackoffMs = baseBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
    }

    @Override
    public List<RuntimeException> write(List<ProcessedQuote> quotes) {
        // One item per key, the last quote's; every quote of that key shares its result.
        Map<String, Integer> lastByKey = new LinkedHashMap<>();
        for (int i = 0; i < quotes.size(); i++) {
            lastByKey.put(key(quotes.get(i)), i);
        }
        Map<String, Map<String, AttributeValue>> itemsByKey = new LinkedHashMap<>();
        lastByKey.forEach((key, index) -> itemsByKey.put(key, items.encode(quotes.get(index))));
        Map<String, RuntimeException> failedByKey = writeItems(itemsByKey.values());
        RuntimeException[] out = new RuntimeException[quotes.size()];
        for (int i = 0; i < quotes.size(); i++) {
            out[i] = failedByKey.get(key(quotes.get(i)));
        }
        return Arrays.asList(out);
    }

    /**
     * Any items of the table, {@link #MAX_ITEMS_PER_CALL} per BatchWriteItem call (concurrently if so built),
     * unprocessed items retried with backoff and jitter; of items with the same key, the last is written.
     *
     * @return the items not written, by key ({@code symbol}, NUL, {@code timestamp}), with why (transient, or the
     *         item the service rejects); empty when all are written
     */
    public Map<String, RuntimeException> writeItems(java.util.Collection<Map<String, AttributeValue>> items) {
        Map<String, Map<String, AttributeValue>> itemsByKey = new LinkedHashMap<>();
        items.forEach(item -> itemsByKey.put(key(item), item));
        Map<String, RuntimeException> failedByKey = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> keys = new ArrayList<>(itemsByKey.keySet());
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += MAX_ITEMS_PER_CALL) {
            chunks.add(keys.subList(from, Math.min(keys.size(), from + MAX_ITEMS_PER_CALL)));
        }
        if (calls == null || chunks.size() < 2) {
            chunks.forEach(chunk -> writeChunk(chunk, itemsByKey, failedByKey));
        } else {
            // Each chunk's own retries stay inside its task; a task that dies fails its own keys only.
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (List<String> chunk : chunks) {
                running.add(calls.submit(() -> writeChunk(chunk, itemsByKey, failedByKey)));
            }
            for (int i = 0; i < running.size(); i++) {
                try {
                    running.get(i).get();
                } catch (java.util.concurrent.ExecutionException | InterruptedException e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    RuntimeException failure = new IllegalStateException("BatchWriteItem call did not complete", e);
                    chunks.get(i).forEach(k -> failedByKey.putIfAbsent(k, failure));
                }
            }
        }
        return failedByKey;
    }

    private void writeChunk(List<String> chunk, Map<String, Map<String, AttributeValue>> itemsByKey,
                            Map<String, RuntimeException> failedByKey) {
        Map<String, Map<String, AttributeValue>> remaining = new LinkedHashMap<>();
        for (String k : chunk) {
            remaining.put(k, itemsByKey.get(k));
        }
        for (int attempt = 1; ; attempt++) {
            List<WriteRequest> requests = new ArrayList<>(remaining.size());
            for (Map<String, AttributeValue> item : remaining.values()) {
                requests.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            }
            BatchWriteItemResponse response;
            try {
                response = dynamoDb.batchWriteItem(BatchWriteItemRequest.builder()
                        .requestItems(Map.of(table, requests)).build());
            } catch (RuntimeException rejected) {
                if (failures.isPoison(rejected)) {
                    putOneByOne(remaining, failedByKey);
                } else {
                    for (String k : remaining.keySet()) {
                        failedByKey.put(k, rejected);
                    }
                }
                return;
            }
            Map<String, Map<String, AttributeValue>> unprocessed = new LinkedHashMap<>();
            List<WriteRequest> left = response.hasUnprocessedItems()
                    ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
            for (WriteRequest request : left) {
                Map<String, AttributeValue> item = request.putRequest().item();
                unprocessed.put(key(item), item);
            }
            if (unprocessed.isEmpty()) {
                return;
            }
            if (attempt >= maxAttempts) {
                IllegalStateException stillUnprocessed = new IllegalStateException("DynamoDB left the item unprocessed "
                        + "after " + attempt + " BatchWriteItem attempts (throttled)");
                unprocessed.keySet().forEach(k -> failedByKey.put(k, stillUnprocessed));
                return;
            }
            remaining = unprocessed;
            Backoff.sleep(Backoff.millis(attempt, baseBackoffMs, maxBackoffMs), "unprocessed items");
        }
    }

    /** A rejected call: each item alone, so that only the item the service rejects is poison. */
    private void putOneByOne(Map<String, Map<String, AttributeValue>> remaining,
                             Map<String, RuntimeException> failedByKey) {
        remaining.forEach((key, item) -> {
            try {
                dynamoDb.putItem(b -> b.tableName(table).item(item));
            } catch (RuntimeException failed) {
                failedByKey.put(key, failed);
            }
        });
    }

    private static String key(ProcessedQuote quote) {
        return quote.symbol() + "\u0000" + quote.timestamp();
    }

    private static String key(Map<String, AttributeValue> item) {
        return item.get("symbol").s() + "\u0000" + item.get("timestamp").s();
    }
}
