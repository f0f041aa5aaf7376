package dev.quotestream.aws;

import dev.quotestream.quotes.QuotePublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One fetch cycle to Kinesis with PutRecords: up to 500 records (and 5 MiB) per call, partition key = symbol.
 * Entries that fail (throttling, internal errors) are sent again, alone, with exponential backoff and jitter; so is
 * a whole call that fails after the SDK's own retries. What still fails after {@code maxAttempts} is returned as
 * failed (the route dead-letters it). Records of one symbol are never in flight twice at once: each cycle has one
 * record per symbol and the next cycle starts after this one returns, so per-symbol order is kept.
 */
public class KinesisQuotePublisher implements QuotePublisher {

    public static final int MAX_RECORDS_PER_CALL = 500;
    public static final int MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(KinesisQuotePublisher.class);

    private final KinesisClient kinesis;
    private final String stream;
    private final int maxAttempts;
    private final long initialBackoffMs;
    private final long maxBackoffMs;

    public KinesisQuotePublisher(KinesisClient kinesis, String stream, int maxAttempts, long initialBackoffMs,
                                 long maxBackoffMs) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.initialBackoffMs = initialBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
    }

    @Override
    public Result publish(List<Record> records) {
        List<Record> published = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        for (List<Record> call : calls(records)) {
            send(call, published, failed);
        }
        return new Result(published, failed);
    }

    /** Chunks of at most 500 records and 5 MiB (data + partition key), in order. */
    static List<List<Record>> calls(List<Record> records) {
        List<List<Record>> calls = new ArrayList<>();
        List<Record> current = new ArrayList<>();
        long bytes = 0;
        for (Record r : records) {
            long size = r.json().getBytes(StandardCharsets.UTF_8).length + r.symbol().getBytes(StandardCharsets.UTF_8).length;
            if (!current.isEmpty() && (current.size() == MAX_RECORDS_PER_CALL || bytes + size > MAX_BYTES_PER_CALL)) {
                calls.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(r);
            bytes += size;
        }
        if (!current.isEmpty()) {
            calls.add(current);
        }
        return calls;
    }

    private void send(List<Record> call, List<Record> published, List<Failure> failed) {
        List<Record> pending = call;
        String lastError = null;
        for (int attempt = 1; attempt <= maxAttempts && !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                sleep(backoff(attempt - 1));
            }
            List<PutRecordsRequestEntry> entries = pending.stream().map(r -> PutRecordsRequestEntry.builder()
                    .partitionKey(r.symbol()).data(SdkBytes.fromUtf8String(r.json())).build()).toList();
            PutRecordsResponse response;
            try {
                response = kinesis.putRecords(b -> b.streamName(stream).records(entries));
            } catch (SdkException e) {
                lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.warn("PutRecords of {} records failed (attempt {}/{}): {}", pending.size(), attempt, maxAttempts, lastError);
                continue;
            }
            List<Record> retry = new ArrayList<>();
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < pending.size(); i++) {
                PutRecordsResultEntry result = results.get(i);
                if (result.errorCode() == null) {
                    published.add(pending.get(i));
                } else {
                    retry.add(pending.get(i));
                    lastError = result.errorCode() + ": " + result.errorMessage();
                }
            }
            if (!retry.isEmpty()) {
                LOG.warn("PutRecords: {} of {} records failed (attempt {}/{}, e.g. {}); retrying only those",
                        retry.size(), pending.size(), attempt, maxAttempts, lastError);
            }
            pending = retry;
        }
        for (Record r : pending) {
            failed.add(new Failure(r, "Kinesis PutRecords failed after " + maxAttempts + " attempts: " + lastError));
        }
    }

    long backoff(int retry) {
        long exponential = Math.min(maxBackoffMs, initialBackoffMs * (1L << Math.min(20, retry - 1)));
        return exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
