package dev.quotestream.pipeline;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The stream consumers' poll strategy ({@code pollStrategy=#pollPacing}): a poll (one GetRecords per shard) starts
 * at least {@code minIntervalMs} after the previous one, greedy or not, so a shard is read at most
 * 1000 / minIntervalMs times a second (Kinesis allows 5); and no poll starts while {@code maxInFlight} records are
 * read but not final (a sink or the lake retrying), so memory stays bounded and nothing is read that cannot be
 * checkpointed. An idle shard backs off through the consumer's own options (backoffIdleThreshold/Multiplier).
 */
public class PollPacing implements PollingConsumerPollStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(PollPacing.class);

    private final long minIntervalMs;
    private final int maxInFlight;
    private final IntSupplier inFlight;
    private final Map<Consumer, Long> lastStart = new ConcurrentHashMap<>();
    private volatile long lastWarned;

    private final Runnable pollEnded;

    /**
     * @param pollEnded run after a poll that handed over records: they are all in the batch aggregator by then, and
     *                  this closes their batch (one poll, one batch, however slowly the records arrived)
     */
    public PollPacing(long minIntervalMs, int maxInFlight, IntSupplier inFlight, Runnable pollEnded) {
        this.minIntervalMs = minIntervalMs;
        this.maxInFlight = maxInFlight;
        this.inFlight = inFlight;
        this.pollEnded = pollEnded;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        int open = inFlight.getAsInt();
        if (open >= maxInFlight) {
            long now = System.currentTimeMillis();
            if (now - lastWarned > 60_000) {
                lastWarned = now;
                LOG.warn("Not reading the stream: {} records are read but not final (at most {}); a sink is retrying",
                        open, maxInFlight);
            }
            pause(minIntervalMs);
            return false;
        }
        Long previous = lastStart.get(consumer);
        if (previous != null) {
            long wait = previous + minIntervalMs - System.currentTimeMillis();
            if (wait > 0) {
                pause(wait);
            }
        }
        lastStart.put(consumer, System.currentTimeMillis());
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        if (polledMessages > 0 && pollEnded != null) {
            pollEnded.run();
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        return false; // the consumer logs it and polls again later; its position did not move
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
