package dev.quotestream.aws;

import org.apache.camel.Exchange;
import org.apache.camel.NonManagedService;
import org.apache.camel.Route;
import org.apache.camel.resume.Offset;
import org.apache.camel.resume.OffsetKey;
import org.apache.camel.resume.ResumeAction;
import org.apache.camel.resume.ResumeActionAware;
import org.apache.camel.resume.ResumeAdapter;
import org.apache.camel.resume.ResumeAware;
import org.apache.camel.resume.ResumeStrategy;
import org.apache.camel.resume.ResumeStrategyConfiguration;
import org.apache.camel.resume.Resumable;
import org.apache.camel.component.aws2.kinesis.consumer.KinesisResumeAction;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Restart without loss for camel-aws2-kinesis' polling consumer: a checkpoint per shard in the quotes
 * table (symbol = {@code CHECKPOINT#<stream>}, timestamp = shard id, sequence_number), read back through
 * Camel's resume API when the consumer asks for a shard iterator (AFTER_SEQUENCE_NUMBER).
 *
 * <p>A record is checkpointed only once its exchange completed, i.e. it was stored or dead-lettered inside
 * the route; a failed exchange blocks its shard's checkpoint. Checkpoints trail completion by
 * {@code lag}, longer than the lake flush interval, so a crash never skips records whose lake batch was
 * still in memory: they are read again, and the idempotent keys absorb the duplicates. On a graceful stop,
 * after the routes have drained and flushed, the latest positions are written.
 */
public class KinesisCheckpoints extends ServiceSupport implements RoutePolicyFactory, NonManagedService {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisCheckpoints.class);
    public static final String KEY_PREFIX = "CHECKPOINT#";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final String stream;
    private final String routeId;
    private final Duration lag;
    private final Map<String, ShardProgress> shards = new ConcurrentHashMap<>();
    private ScheduledExecutorService writer;

    public KinesisCheckpoints(DynamoDbClient dynamoDb, String table, String stream, String routeId, Duration lag) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.stream = stream;
        this.routeId = routeId;
        this.lag = lag;
    }

    private static final class ShardProgress {
        final Deque<Map.Entry<BigInteger, Instant>> completed = new ArrayDeque<>();
        BigInteger blockedAt;
        BigInteger persisted;
    }

    /** The stored checkpoint of a shard, or null. */
    public String checkpoint(String shardId) {
        GetItemResponse r = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true).key(key(shardId)));
        return r.hasItem() && r.item().containsKey("sequence_number") ? r.item().get("sequence_number").s() : null;
    }

    private Map<String, AttributeValue> key(String shardId) {
        return Map.of("symbol", AttributeValue.fromS(KEY_PREFIX + stream), "timestamp", AttributeValue.fromS(shardId));
    }

    @Override
    public RoutePolicy createRoutePolicy(org.apache.camel.CamelContext context, String id, org.apache.camel.NamedNode route) {
        if (!routeId.equals(id)) {
            return null;
        }
        CheckpointResume resume = new CheckpointResume();
        // A plain RoutePolicy, not a service: Camel skips the callbacks of a stopped policy service, and
        // the exchanges still completing during a graceful shutdown must be checkpointed too.
        return new RoutePolicy() {
            // The consumer exists once the route starts, before its first poll asks for a shard iterator.
            @Override
            public void onStart(Route r) {
                if (r.getConsumer() instanceof ResumeAware<?> aware) {
                    @SuppressWarnings("unchecked")
                    ResumeAware<ResumeStrategy> consumer = (ResumeAware<ResumeStrategy>) aware;
                    consumer.setResumeStrategy(resume);
                    LOG.info("Kinesis consumer of {} resumes from checkpoints in table {}", stream, table);
                } else {
                    LOG.warn("Route {} does not consume from Kinesis ({}): no checkpoints", id, r.getEndpoint());
                }
            }

            @Override
            public void onExchangeDone(Route r, Exchange exchange) {
                completed(exchange);
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

            @Override
            public void onExchangeBegin(Route r, Exchange exchange) {
            }
        };
    }

    void completed(Exchange exchange) {
        String shardId = exchange.getMessage().getHeader("CamelAwsKinesisShardId", String.class);
        String sequence = exchange.getMessage().getHeader("CamelAwsKinesisSequenceNumber", String.class);
        if (shardId == null || sequence == null) {
            return;
        }
        BigInteger seq = new BigInteger(sequence);
        ShardProgress p = shards.computeIfAbsent(shardId, s -> new ShardProgress());
        synchronized (p) {
            if (exchange.isFailed()) {
                // Should not happen: the route dead-letters every failure. Never checkpoint past it.
                if (p.blockedAt == null || seq.compareTo(p.blockedAt) < 0) {
                    p.blockedAt = seq;
                }
                LOG.error("Record {} of shard {} failed outside the route's error handling; its shard's "
                        + "checkpoint stops before it, and it will be read again after a restart", sequence, shardId);
                return;
            }
            p.completed.addLast(Map.entry(seq, Instant.now()));
        }
    }

    /** Writes, per shard, the newest completed position older than the lag (or all, when flushing on stop). */
    synchronized void persist(boolean all) {
        Instant horizon = Instant.now().minus(lag);
        shards.forEach((shardId, p) -> {
            BigInteger target = null;
            synchronized (p) {
                while (!p.completed.isEmpty() && (all || !p.completed.peekFirst().getValue().isAfter(horizon))) {
                    BigInteger seq = p.completed.pollFirst().getKey();
                    if (p.blockedAt != null && seq.compareTo(p.blockedAt) >= 0) {
                        continue;
                    }
                    if (target == null || seq.compareTo(target) > 0) {
                        target = seq;
                    }
                }
                if (target == null || (p.persisted != null && target.compareTo(p.persisted) <= 0)) {
                    return;
                }
            }
            Map<String, AttributeValue> item = new java.util.HashMap<>(key(shardId));
            item.put("sequence_number", AttributeValue.fromS(target.toString()));
            item.put("updated_at", AttributeValue.fromS(Instant.now().toString()));
            try {
                dynamoDb.putItem(b -> b.tableName(table).item(item));
                synchronized (p) {
                    p.persisted = target;
                }
            } catch (RuntimeException e) {
                LOG.warn("Checkpoint of shard {} not written ({}); will retry", shardId, e.getMessage());
                synchronized (p) {
                    p.completed.addFirst(Map.entry(target, Instant.EPOCH));
                }
            }
        });
    }

    @Override
    protected void doStart() {
        writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kinesis-checkpoints");
            t.setDaemon(true);
            return t;
        });
        writer.scheduleWithFixedDelay(() -> persist(false), 1, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (writer != null) {
            // Let a write in progress finish (interrupting it could drop its position), then write the rest.
            writer.shutdown();
            writer.awaitTermination(30, TimeUnit.SECONDS);
        }
        persist(true);
        LOG.info("Kinesis checkpoints written for {} shard(s) of {}", shards.size(), stream);
    }

    /** Camel's resume API: the consumer hands us its GetShardIterator request for each shard. */
    private final class CheckpointResume implements ResumeStrategy {
        private final Adapter adapter = new Adapter();

        @Override
        public void setAdapter(ResumeAdapter resumeAdapter) {
        }

        @Override
        public ResumeAdapter getAdapter() {
            return adapter;
        }

        @Override
        public <T extends Resumable> void updateLastOffset(T offset) {
        }

        @Override
        public <T extends Resumable> void updateLastOffset(T offset, UpdateCallBack updateCallBack) {
        }

        @Override
        public void updateLastOffset(OffsetKey<?> offsetKey, Offset<?> offsetValue) {
        }

        @Override
        public void updateLastOffset(OffsetKey<?> offsetKey, Offset<?> offset, UpdateCallBack updateCallBack) {
        }

        @Override
        public void setResumeStrategyConfiguration(ResumeStrategyConfiguration resumeStrategyConfiguration) {
        }

        @Override
        public ResumeStrategyConfiguration getResumeStrategyConfiguration() {
            return null;
        }

        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }
    }

    private final class Adapter implements ResumeAdapter, ResumeActionAware {
        private KinesisResumeAction action;

        @Override
        public void setResumeAction(ResumeAction resumeAction) {
            this.action = (KinesisResumeAction) resumeAction;
        }

        @Override
        public void resume() {
            String shardId = action.getShardId();
            String sequence = checkpoint(shardId);
            if (sequence != null) {
                LOG.info("Shard {} of {} resumes after checkpoint {}", shardId, stream, sequence);
                action.evalEntry(shardId, sequence);
                ShardProgress p = shards.computeIfAbsent(shardId, s -> new ShardProgress());
                synchronized (p) {
                    p.persisted = new BigInteger(sequence);
                }
            } else {
                LOG.info("Shard {} of {} has no checkpoint: starting at the configured iterator type", shardId, stream);
            }
        }
    }
}
