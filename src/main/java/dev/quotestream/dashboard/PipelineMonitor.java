package dev.quotestream.dashboard;

import dev.quotestream.core.BatchProcessor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pipeline's live figures, in one place: fed by {@link CamelPipelineEvents} (or by any processing code
 * that calls these methods), read by {@code /api/status}, the sink health check and Prometheus. Counters and
 * timers are Micrometer meters in the registry that {@code /observe/metrics} scrapes.
 */
public class PipelineMonitor implements PipelineStatus {

    /** States of resilience4j's breaker, one gauge each (1 = current). */
    static final List<String> BREAKER_STATES = List.of("CLOSED", "OPEN", "HALF_OPEN", "DISABLED", "FORCED_OPEN",
            "METRICS_ONLY");
    private static final int PUBLISHED_REMEMBERED = 20_000;

    private final MeterRegistry meters;
    private final Clock clock;
    private final List<String> symbols;
    private final Counter recordsIn;
    private final Counter stored;
    private final Counter alerts;
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final Map<String, Fetch> fetches = new ConcurrentHashMap<>();
    private final Map<String, Sink> sinks = new ConcurrentHashMap<>();
    /** Local stream: publish time by message id (the queue keeps the id), for the lag at consumption. */
    private final Map<String, Instant> published = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > PUBLISHED_REMEMBERED;
        }
    });
    private volatile Long lagMs;
    private volatile Instant lastConsumedAt;
    private volatile Supplier<BreakerReading> breaker = () -> null;
    private volatile Supplier<Long> backlog = () -> null;

    /** What the breaker reports: its state name and failure rate (-1 while too few calls). */
    public record BreakerReading(String state, float failureRatePercent) {
    }

    private static final class Fetch {
        Instant lastAttemptAt;
        boolean lastOk;
        Instant lastSuccessAt;
        Long latencyMs;
        String lastError;
        boolean clientError;
        Instant failingSince;
    }

    private static final class Sink {
        Instant failingSince;
        Instant lastSuccessAt;
        String lastError;
    }

    public PipelineMonitor(MeterRegistry meters, Clock clock, List<String> symbols, List<String> sinkRoutes) {
        this.meters = meters;
        this.clock = clock;
        this.symbols = List.copyOf(symbols);
        recordsIn = Counter.builder("quotes.records.in").description("Records consumed from the stream")
                .register(meters);
        stored = Counter.builder("quotes.stored").description("Processed records written to the table")
                .register(meters);
        alerts = Counter.builder("quotes.alerts").description("Alerts published").register(meters);
        Gauge.builder("quotes.stream.lag", this, m -> m.lagMs == null ? Double.NaN : m.lagMs / 1000.0)
                .baseUnit("seconds").description("Arrival in the stream to consumption, last record consumed")
                .register(meters);
        Gauge.builder("quotes.stream.backlog", this, m -> {
            Long b = m.backlog.get();
            return b == null ? Double.NaN : b;
        }).description("Records waiting in the local stream (NaN where the stream cannot tell)").register(meters);
        fetchLatency("ok");
        fetchLatency("error");
        for (String state : BREAKER_STATES) {
            Gauge.builder("quotes.breaker.state", this, m -> {
                BreakerReading r = m.breaker.get();
                return r != null && r.state().equals(state) ? 1 : 0;
            }).tag("state", state).description("Yahoo circuit breaker: 1 for its current state").register(meters);
        }
        // A zero series from the start, for rate() and alerts on it: the stages a stream record is dead-lettered at
        // (the Lambda's too), whichever routes write the sinks.
        for (String stage : List.of(BatchProcessor.STAGE_PROCESS, BatchProcessor.STAGE_TABLE,
                BatchProcessor.STAGE_ALERT, BatchProcessor.STAGE_LAKE)) {
            deadLettered(stage, 0);
        }
        for (String route : sinkRoutes) {
            sinks.put(route, new Sink());
            Gauge.builder("quotes.sink.failing", this, m -> m.failingSeconds(route)).tag("route", route)
                    .baseUnit("seconds").description("How long a sink has been failing (0 when healthy)")
                    .register(meters);
        }
    }

    private Timer fetchLatency(String outcome) {
        return Timer.builder("quotes.fetch.latency").tag("outcome", outcome)
                .description("Chart request latency, per attempt").register(meters);
    }

    public void breaker(Supplier<BreakerReading> reading) {
        this.breaker = reading;
    }

    public void backlog(Supplier<Long> waiting) {
        this.backlog = waiting;
    }

    // ---- fed by the pipeline ---------------------------------------------------------------------------

    /** One chart request: its latency and, if it failed, why ({@code clientError}: a final 4xx). */
    public void fetched(String symbol, long latencyMs, String error, boolean clientError) {
        fetchLatency(error == null ? "ok" : "error").record(latencyMs, TimeUnit.MILLISECONDS);
        Instant now = clock.instant();
        Fetch f = fetches.computeIfAbsent(symbol, s -> new Fetch());
        synchronized (f) {
            f.lastAttemptAt = now;
            f.lastOk = error == null;
            f.latencyMs = latencyMs;
            if (error == null) {
                f.lastSuccessAt = now;
                f.lastError = null;
                f.clientError = false;
                f.failingSince = null;
            } else {
                f.lastError = error;
                f.clientError = clientError;
                if (f.failingSince == null) {
                    f.failingSince = now;
                }
            }
        }
    }

    public void published(String messageId) {
        published.put(messageId, clock.instant());
    }

    /** A record entered processing; {@code arrivedAt} from the stream (Kinesis), else the local publish time. */
    public void consumed(String messageId, Instant arrivedAt) {
        recordsIn.increment();
        Instant now = clock.instant();
        Instant arrival = arrivedAt != null ? arrivedAt : published.remove(messageId);
        if (arrival != null) {
            lagMs = Math.max(0, Duration.between(arrival, now).toMillis());
        }
        lastConsumedAt = now;
    }

    public void stored(long records) {
        stored.increment(records);
    }

    public void alerted() {
        alerts.increment();
    }

    public void deadLettered(String stage) {
        deadLettered(stage, 1);
    }

    private void deadLettered(String stage, int n) {
        deadLettered.computeIfAbsent(stage == null ? "unknown" : stage, s -> Counter.builder("quotes.dead.lettered")
                .tag("stage", s).description("Inputs written to the dead letter, by the stage that rejected them")
                .register(meters)).increment(n);
    }

    public void sinkSucceeded(String route) {
        Sink s = sinks.get(route);
        if (s != null) {
            synchronized (s) {
                s.failingSince = null;
                s.lastSuccessAt = clock.instant();
            }
        }
    }

    public void sinkFailed(String route, String error) {
        Sink s = sinks.get(route);
        if (s != null) {
            synchronized (s) {
                if (s.failingSince == null) {
                    s.failingSince = clock.instant();
                }
                s.lastError = error;
            }
        }
    }

    // ---- read --------------------------------------------------------------------------------------------

    double failingSeconds(String route) {
        Sink s = sinks.get(route);
        synchronized (s) {
            return s.failingSince == null ? 0 : Duration.between(s.failingSince, clock.instant()).toMillis() / 1000.0;
        }
    }

    /** Sinks failing without a success for longer than {@code limit}. */
    public List<SinkState> sinksFailingLongerThan(Duration limit) {
        Instant horizon = clock.instant().minus(limit);
        return snapshotSinks().stream().filter(s -> s.failing() && s.failingSince().isBefore(horizon)).toList();
    }

    /** Symbols whose every request since {@code failingSince} ended in a final client error (404, 401, 400). */
    public List<QuarantineSource.QuarantinedSymbol> failingWithClientErrors() {
        List<QuarantineSource.QuarantinedSymbol> out = new ArrayList<>();
        fetches.forEach((symbol, f) -> {
            synchronized (f) {
                if (!f.lastOk && f.clientError) {
                    out.add(new QuarantineSource.QuarantinedSymbol(symbol, "failing", f.failingSince, f.lastError, null));
                }
            }
        });
        out.sort((a, b) -> a.symbol().compareTo(b.symbol()));
        return out;
    }

    @Override
    public Snapshot snapshot() {
        List<SymbolFetch> fetchList = new ArrayList<>();
        List<String> names = new ArrayList<>(symbols);
        fetches.keySet().stream().filter(s -> !names.contains(s)).sorted().forEach(names::add);
        for (String symbol : names) {
            Fetch f = fetches.get(symbol);
            if (f == null) {
                fetchList.add(new SymbolFetch(symbol, null, false, null, null, null));
            } else {
                synchronized (f) {
                    fetchList.add(new SymbolFetch(symbol, f.lastAttemptAt, f.lastOk, f.lastSuccessAt, f.latencyMs,
                            f.lastError));
                }
            }
        }
        long dead = (long) deadLettered.values().stream().mapToDouble(Counter::count).sum();
        BreakerReading b = breaker.get();
        return new Snapshot(fetchList,
                new Counters((long) recordsIn.count(), (long) stored.count(), dead, (long) alerts.count()),
                new Stream(lagMs, lastConsumedAt, backlog.get()),
                b == null ? null : b.state(), b == null || b.failureRatePercent() < 0 ? null : b.failureRatePercent(),
                snapshotSinks());
    }

    private List<SinkState> snapshotSinks() {
        List<SinkState> out = new ArrayList<>();
        sinks.forEach((route, s) -> {
            synchronized (s) {
                out.add(new SinkState(route, s.failingSince != null, s.failingSince, s.lastSuccessAt,
                        s.failingSince == null ? null : s.lastError));
            }
        });
        out.sort((a, b) -> a.route().compareTo(b.route()));
        return out;
    }
}
