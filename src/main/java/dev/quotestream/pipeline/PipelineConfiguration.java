package dev.quotestream.pipeline;

import dev.quotestream.core.AlertGate;
import dev.quotestream.core.Failures;
import dev.quotestream.core.AlertOutbox;
import dev.quotestream.core.AlertRelay;
import dev.quotestream.core.CachedAlertOutbox;
import dev.quotestream.core.CheckpointStore;
import dev.quotestream.core.PendingAlert;
import dev.quotestream.core.QuoteDecoder;
import dev.quotestream.core.StreamPositions;
import dev.quotestream.core.metrics.QuoteMetrics;
import dev.quotestream.quotes.FetchOutcomes;
import dev.quotestream.quotes.HostRateLimiter;
import dev.quotestream.quotes.PublishedQuotes;
import dev.quotestream.quotes.MarketSimulator;
import dev.quotestream.quotes.SymbolQuarantine;
import dev.quotestream.quotes.YahooChartParser;
import dev.quotestream.quotes.YahooResponses;
import dev.quotestream.quotes.YahooSymbols;
import org.apache.camel.PropertiesLookupListener;
import org.apache.camel.spi.PropertiesComponent;
import java.util.concurrent.atomic.AtomicReference;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.resume.ResumeStrategy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Beans shared by every binding. The binding's own configuration class (local or aws profile) binds
 * {@code tableItemEncoder}, {@code alertOutbox}, {@code checkpointStore}, {@code failures} (and, for Kinesis,
 * {@code streamResume}); this class assembles the core around them: the alert gate and relay, the stream positions
 * and their checkpoints, the consumers' poll pacing. The market simulator starts here, in any profile, when the
 * fetch route points at it.
 */
public class PipelineConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineConfiguration.class);

    @BindToRegistry
    public QuoteMetrics quoteMetrics(@PropertyInject("pipeline.anomaly-threshold-percent") String threshold) {
        return new QuoteMetrics(new BigDecimal(threshold));
    }

    @BindToRegistry
    public QuoteDecoder quoteDecoder() {
        return new QuoteDecoder();
    }

    /** The processing's retries go on while the application runs (retryWhileRef), and records read while stopping wait. */
    @BindToRegistry
    public WhileRunning whileRunning() {
        return new WhileRunning();
    }

    @BindToRegistry
    public StreamRecords streamRecords() {
        return new StreamRecords();
    }

    private final StreamPositions positions = new StreamPositions();

    /** Which records are final: the checkpoints never pass one that is not (a lake line not written yet). */
    @BindToRegistry
    public StreamPositions streamPositions() {
        return positions;
    }

    @BindToRegistry
    public YahooChartParser yahooChartParser() {
        return new YahooChartParser();
    }

    /** Last market time published per symbol: a quote whose market time has not moved is not published again. */
    @BindToRegistry
    public PublishedQuotes publishedQuotes() {
        return new PublishedQuotes();
    }

    @BindToRegistry
    public HostRateLimiter yahooRateLimiter(@PropertyInject("quotes.max-requests-per-second") double perSecond) {
        return new HostRateLimiter(perSecond);
    }

    /** Fetch outcomes, for health pages and the fetches = published + … invariant. */
    @BindToRegistry
    public FetchOutcomes fetchOutcomes() {
        return new FetchOutcomes();
    }

    /** Symbols that only fail (404, guard): skipped with growing backoff; {@code quarantined()} lists them. */
    @BindToRegistry
    public SymbolQuarantine symbolQuarantine(
            @PropertyInject("quotes.quarantine.initial-backoff-ms") long initialMs,
            @PropertyInject("quotes.quarantine.max-backoff-ms") long maxMs) {
        return new SymbolQuarantine(Clock.systemUTC(), Duration.ofMillis(initialMs), Duration.ofMillis(maxMs));
    }

    @BindToRegistry
    public YahooResponses yahooResponses(@PropertyInject("quotes.max-retry-delay-ms") long maxRetryDelayMs,
                                         @PropertyInject("quotes.max-body-bytes") long maxBodyBytes,
                                         @PropertyInject("quotes.fetch-deadline-ms") long deadlineMs) {
        return new YahooResponses(Clock.systemUTC(), maxRetryDelayMs, maxBodyBytes, deadlineMs);
    }

    @PropertyInject("quotes.base-url")
    private String quotesBaseUrl;
    @PropertyInject("simulator.host")
    private String simulatorHost;
    @PropertyInject("simulator.port")
    private int simulatorPort;
    @PropertyInject("simulator.seed")
    private long simulatorSeed;
    @PropertyInject("simulator.tick-seconds")
    private int simulatorTickSeconds;
    @PropertyInject("simulator.jump-window-ticks")
    private int simulatorJumpWindowTicks;

    /** Shared by every fetch; logs each state change, so an open breaker is visible in the log. */
    @BindToRegistry
    public CircuitBreaker yahooCircuitBreaker(
            @PropertyInject("quotes.breaker.failure-rate-percent") float failureRatePercent,
            @PropertyInject("quotes.breaker.window-calls") int windowCalls,
            @PropertyInject("quotes.breaker.open-wait-ms") long openWaitMs) {
        CircuitBreaker breaker = CircuitBreaker.of("yahoo", CircuitBreakerConfig.custom()
                // Only 429, 5xx, timeouts and connection errors count: unknown symbols must not open it.
                .recordException(HttpFailures::isYahooUnwell)
                .failureRateThreshold(failureRatePercent)
                .slidingWindowSize(windowCalls)
                .minimumNumberOfCalls(windowCalls)
                .waitDurationInOpenState(Duration.ofMillis(openWaitMs))
                .build());
        breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                LOG.error("Yahoo circuit breaker OPEN ({}): failure rate {}% over the last {} calls; no fetch "
                        + "for {} s", e.getStateTransition(), breaker.getMetrics().getFailureRate(), windowCalls,
                        openWaitMs / 1000);
            } else {
                LOG.warn("Yahoo circuit breaker {}", e.getStateTransition());
            }
        });
        return breaker;
    }

    /** Bound once every configuration class has bound its beans: the stores come from the binding. */
    @Override
    public void configure(CamelContext context) throws Exception {
        YahooSymbols symbols = YahooSymbols.parse(rawProperty(context, "quotes.symbols"));
        context.getRegistry().bind("yahooSymbols", symbols);
        // The fetch's parallelism: one pool runs the symbols, one enforces each fetch's deadline.
        int concurrency = Integer.parseInt(context.resolvePropertyPlaceholders("{{quotes.fetch-concurrency}}"));
        if (concurrency < 1) {
            throw new IllegalArgumentException("quotes.fetch-concurrency must be at least 1, was " + concurrency);
        }
        var pools = context.getExecutorServiceManager();
        context.getRegistry().bind("yahooFetchPool", pools.newFixedThreadPool(this, "quote-fetch", concurrency));
        context.getRegistry().bind("yahooDeadlinePool", pools.newFixedThreadPool(this, "quote-fetch-deadline", concurrency));
        startSimulatorIfUsed(context, symbols);
        // The alert state in memory for the life of the process, in front of the binding's stored outbox: read once
        // per symbol and trading day, written only when it flips (the store's conditional write), re-read on a conflict.
        AlertOutbox outbox = new CachedAlertOutbox(required(context, "alertOutbox", AlertOutbox.class),
                Integer.parseInt(prop(context, "alerts.state-cache-entries")));
        context.getRegistry().bind("alertStates", outbox);
        String threshold = context.resolvePropertyPlaceholders("{{pipeline.anomaly-threshold-percent}}");
        context.getRegistry().bind("alertGate", new AlertGate(outbox, new BigDecimal(threshold)));
        List<String> relaySymbols = symbols.list();
        int lookbackDays = Integer.parseInt(prop(context, "alerts.relay-lookback-days"));
        context.getRegistry().bind("alertRelay", new AlertRelay(outbox, Clock.systemUTC(),
                Duration.ofMillis(Long.parseLong(prop(context, "alerts.relay-initial-backoff-ms"))),
                Duration.ofMillis(Long.parseLong(prop(context, "alerts.relay-max-backoff-ms"))),
                () -> pendingAlerts(outbox, relaySymbols, lookbackDays)));

        // What one poll returns is processed as one batch by the core (routes/quote-process.yaml), one batch at a time
        // on one thread, in stream order.
        Failures failures = required(context, "failures", Failures.class);
        context.getRegistry().bind("streamBatches", new StreamBatches(context,
                context.getRegistry().lookupByNameAndType("quoteMetrics", QuoteMetrics.class), failures,
                context.getRegistry().lookupByNameAndType("alertGate", AlertGate.class), positions,
                required(context, "lakeRecords", LakeRecords.class)));
        context.getRegistry().bind("tableSink", new StreamBatches.TableSink(
                required(context, "tableWriter", dev.quotestream.core.TableWriter.class), failures));
        context.getRegistry().bind("streamBatchThread", pools.newSingleThreadExecutor(this, "quote-batch"));
        int publishConcurrency = Integer.parseInt(prop(context, "alerts.publish-concurrency"));
        if (publishConcurrency < 1) {
            throw new IllegalArgumentException("alerts.publish-concurrency must be at least 1, was " + publishConcurrency);
        }
        context.getRegistry().bind("alertPublishPool", pools.newFixedThreadPool(this, "alert-publish", publishConcurrency));
        // The batch aggregator's handle (quote-process): the end of a poll closes its batch.
        var streamBatch = new org.apache.camel.processor.aggregate.DefaultAggregateController();
        context.getRegistry().bind("streamBatch", streamBatch);
        context.getRegistry().bind("pollPacing", new PollPacing(
                Long.parseLong(prop(context, "stream.min-poll-interval-ms")),
                Integer.parseInt(prop(context, "stream.max-in-flight")), positions::inFlight,
                streamBatch::forceCompletionOfAllGroups));
        StreamCheckpoints checkpoints = new StreamCheckpoints(positions,
                required(context, "checkpointStore", CheckpointStore.class), "quote-process",
                prop(context, "stream.name"), context.getRegistry().lookupByNameAndType("streamResume", ResumeStrategy.class),
                Duration.ofMillis(Long.parseLong(prop(context, "stream.checkpoint-interval-ms"))));
        context.getRegistry().bind("streamCheckpoints", checkpoints);
        context.addRoutePolicyFactory(checkpoints);
        context.addService(checkpoints, true, true);
        context.getManagementStrategy().addEventNotifier(
                new RetryMonitor(Duration.ofMillis(Long.parseLong(prop(context, "pipeline.retry-error-after-ms")))));
        context.getManagementStrategy().addEventNotifier(new EndRetriesOnStop(context));
    }

    /** What the outbox still holds for the configured symbols, from a few days back to tomorrow (any time zone). */
    private static Collection<PendingAlert> pendingAlerts(AlertOutbox outbox, List<String> symbols, int lookbackDays) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<PendingAlert> found = outbox.pending(symbols, today.minusDays(lookbackDays).toString(),
                today.plusDays(1).toString());
        if (!found.isEmpty()) {
            LOG.warn("Alert outbox: {} alert(s) left pending by an earlier run, publishing them now: {}", found.size(),
                    found.stream().map(PendingAlert::key).toList());
        }
        return found;
    }

    private static <T> T required(CamelContext context, String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("the active profile binds no '" + name + "' bean");
        }
        return bean;
    }

    private static String prop(CamelContext context, String name) {
        return context.resolvePropertyPlaceholders("{{" + name + "}}");
    }

    /** The simulator runs only when the fetch route points at it: live Yahoo is one property away. */
    private void startSimulatorIfUsed(CamelContext context, YahooSymbols symbols) throws Exception {
        String simulatorUrl = "http://" + simulatorHost + ":" + simulatorPort;
        if (!quotesBaseUrl.equals(simulatorUrl)) {
            return;
        }
        List<String> simulated = symbols.list();
        MarketSimulator simulator = new MarketSimulator(simulatorHost, simulatorPort, simulatorSeed,
                simulatorTickSeconds, simulatorJumpWindowTicks, simulated, Clock.systemUTC());
        context.getRegistry().bind("marketSimulator", simulator);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() throws Exception {
                simulator.start();
            }

            @Override
            protected void doStop() {
                simulator.stop();
            }
        }, true, true);
    }

    /**
     * A property's value as written, without resolving placeholders inside it: {@code {{env:PATH}}} in the
     * symbol list must be rejected as a symbol, never replaced by the environment's PATH and sent to Yahoo.
     */
    static String rawProperty(CamelContext context, String key) {
        PropertiesComponent properties = context.getPropertiesComponent();
        AtomicReference<String> raw = new AtomicReference<>();
        PropertiesLookupListener listener = (name, value, defaultValue, source) -> {
            if (name.equals(key) && raw.get() == null) {
                raw.set(value);
            }
        };
        properties.addPropertiesLookupListener(listener);
        try {
            properties.resolveProperty(key);
        } catch (RuntimeException unresolvable) {
            // an unknown placeholder inside the value: the raw value (captured first) is what gets validated
        } finally {
            if (properties instanceof org.apache.camel.component.properties.PropertiesComponent impl) {
                impl.removePropertiesLookupListener(listener);
            }
        }
        return raw.get();
    }

    /** The lake buffer's handle (quote-process): a stop writes the buffered lines before the last batch settles. */
    @BindToRegistry("lakeBuffer")
    public org.apache.camel.processor.aggregate.DefaultAggregateController lakeBuffer() {
        return new org.apache.camel.processor.aggregate.DefaultAggregateController();
    }

    @BindToRegistry
    public LakeRecords lakeRecords(@PropertyInject("lake.prefix") String prefix,
                                   @PropertyInject("lake.max-records-per-object") int maxLinesPerObject,
                                   @PropertyInject("lake.max-buffered-records") int maxBufferedLines,
                                   @PropertyInject("stream.max-in-flight") int maxInFlight) {
        if (maxBufferedLines >= maxInFlight) {
            throw new IllegalArgumentException("lake.max-buffered-records (" + maxBufferedLines
                    + ") must be below stream.max-in-flight (" + maxInFlight + "): buffered lines are records in flight,"
                    + " and the stream would stop being read before the buffer is written");
        }
        return new LakeRecords(prefix, maxLinesPerObject, maxBufferedLines);
    }

    @BindToRegistry
    public DeadLetters deadLetters(@PropertyInject("deadletter.prefix") String prefix,
                                   @PropertyInject("deadletter.fallback-dir") String fallbackDir) {
        return new DeadLetters(prefix, Path.of(fallbackDir));
    }
}
