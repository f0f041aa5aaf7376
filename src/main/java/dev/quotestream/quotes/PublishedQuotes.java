package dev.quotestream.quotes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last market time published per symbol: a quote whose market time is not newer is "unchanged" and not
 * published again. A quote is marked only once it is published, so a failed publish is tried again next cycle.
 * Also the cycle's batch of new quotes, collected by the parallel split.
 */
public class PublishedQuotes {

    private final Map<String, String> lastPublished = new ConcurrentHashMap<>();

    /** True when the quote's market time is newer than the last one published for its symbol. */
    public boolean isNew(String symbol, String timestamp) {
        String last = lastPublished.get(symbol);
        return last == null || timestamp.compareTo(last) > 0;
    }

    public void markPublished(List<QuotePublisher.Record> records) {
        for (QuotePublisher.Record r : records) {
            lastPublished.merge(r.symbol(), r.timestamp(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
    }

    /** A cycle's batch: filled by the split's exchanges in parallel. */
    public List<QuotePublisher.Record> newBatch() {
        return java.util.Collections.synchronizedList(new ArrayList<>());
    }

    public void collect(List<QuotePublisher.Record> batch, String symbol, String json) throws java.io.IOException {
        batch.add(QuoteRecords.of(symbol, json));
    }

    /** The batch ordered by symbol (parallel fetches finish in any order; one record per symbol per cycle). */
    public List<QuotePublisher.Record> inListOrder(List<QuotePublisher.Record> batch) {
        synchronized (batch) {
            List<QuotePublisher.Record> sorted = new ArrayList<>(batch);
            sorted.sort(java.util.Comparator.comparing(QuotePublisher.Record::symbol));
            return sorted;
        }
    }
}
