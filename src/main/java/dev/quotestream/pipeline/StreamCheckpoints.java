package dev.quotestream.pipeline;

import dev.quotestream.core.CheckpointStore;
import dev.quotestream.core.StreamPositions;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.NonManagedService;
import org.apache.camel.Route;
import org.apache.camel.resume.ResumeAware;
import org.apache.camel.resume.ResumeStrategy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Checkpoints of the stream the processing route consumes (Kinesis, or the local stream), one per shard in a
 * {@link CheckpointStore}. Each record the route reads is tracked by {@link StreamPositions} from its start to the
 * end of its exchange (stored or dead-lettered: handled; failed: a retry ended by a stop, never passed), and its lake
 * line's acknowledgement. Every {@code interval} the contiguous final prefix of each shard is saved; on stop, after
 * the routes drained and the lake flushed, once more: the next start re-reads no record whose outcome was final,
 * and every record that was not.
 */
public class StreamCheckpoints extends ServiceSupport implements RoutePolicyFactory, NonManagedService {

    private static final Logger LOG = LoggerFactory.getLogger(StreamCheckpoints.class);

    private final StreamPositions positions;
    private final CheckpointStore store;
    private final String routeId;
    private final String stream;
    private final ResumeStrategy resume;
    private final Duration interval;
    private final Map<String, String> saved = new HashMap<>();
    private ScheduledExecutorService writer;

    /** @param resume how the consumer resumes from the store (Kinesis: Camel's resume API), or null if it reads it itself */
    public StreamCheckpoints(StreamPositions positions, CheckpointStore store, String routeId, String stream,
                             ResumeStrategy resume, Duration interval) {
        this.positions = positions;
        this.store = store;
        this.routeId = routeId;
        this.stream = stream;
        this.resume = resume;
        this.interval = interval;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String id, NamedNode route) {
        if (!routeId.equals(id)) {
            return null;
        }
        // A plain RoutePolicy, not a service: Camel skips the callbacks of a stopped policy service, and the
        // exchanges still completing during a graceful shutdown must be tracked too.
        return new RoutePolicy() {
            @Override
            public void onStart(Route r) {
                if (resume != null && r.getConsumer() instanceof ResumeAware<?> aware) {
                    @SuppressWarnings("unchecked")
                    ResumeAware<ResumeStrategy> consumer = (ResumeAware<ResumeStrategy>) aware;
                    consumer.setResumeStrategy(resume);
                    LOG.info("Consumer of {} resumes from its checkpoints", stream);
                }
            }

            @Override
            public void onExchangeBegin(Route r, Exchange exchange) {
                String shard = exchange.getMessage().getHeader(StreamRecords.SHARD_ID, String.class);
                String sequence = exchange.getMessage().getHeader(StreamRecords.SEQUENCE_NUMBER, String.class);
                if (shard == null || sequence == null) {
                    return;
                }
                positions.begin(shard, sequence);
                // When the exchange's unit of work ends, whatever route state a shutdown is in.
                exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                    @Override
                    public void onComplete(Exchange done) {
                        // Handed to a batch: the batch settles it (StreamBatches.settle), once it is final.
                        if (!done.getProperty(StreamBatches.BATCHED, false, Boolean.class)) {
                            positions.done(shard, sequence, true);
                        }
                    }

                    @Override
                    public void onFailure(Exchange failed) {
                        LOG.warn("Record {} of shard {} did not finish ({}); the checkpoint stops before it and the "
                                + "next start reads it again", sequence, shard, failed.getException() == null
                                ? "stopped" : failed.getException().toString());
                        positions.done(shard, sequence, false);
                    }
                });
            }

            @Override
            public void onExchangeDone(Route r, Exchange exchange) {
            }

            @Override
            public void onInit(Route r) {
            }

            @Override
            public void onRemove(Route r) {
            }

            @Override
            public void onStop(Route r) {
            }

            @Override
            public void onSuspend(Route r) {
            }

            @Override
            public void onResume(Route r) {
            }
        };
    }

    /** Saves each shard's checkpoint that moved; a failed write is retried next time. */
    synchronized void persist() {
        positions.checkpoints().forEach((shard, sequence) -> {
            if (sequence.equals(saved.get(shard))) {
                return;
            }
            try {
                store.save(shard, sequence);
                saved.put(shard, sequence);
            } catch (RuntimeException e) {
                LOG.warn("Checkpoint of shard {} of {} not written ({}); will retry", shard, stream, e.getMessage());
            }
        });
    }

    @Override
    protected void doStart() {
        writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stream-checkpoints");
            t.setDaemon(true);
            return t;
        });
        writer.scheduleWithFixedDelay(this::persist, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (writer != null) {
            // Let a write in progress finish, then write the final positions.
            writer.shutdown();
            writer.awaitTermination(30, TimeUnit.SECONDS);
        }
        persist();
        Map<String, ?> open = positions.open();
        if (open.isEmpty()) {
            LOG.info("Checkpoints of {} written: {}", stream, saved);
        } else {
            LOG.warn("Checkpoints of {} written: {}; records not final, read again at the next start: {}", stream,
                    saved, open);
        }
    }
}
