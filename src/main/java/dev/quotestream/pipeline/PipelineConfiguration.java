package dev.quotestream.pipeline;

import dev.quotestream.metrics.QuoteMetrics;
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

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Beans shared by every binding. The binding's own configuration class (local or aws profile) binds
 * {@code tableItemEncoder} and {@code alertStateStore}; the alert gate uses the latter. The market
 * simulator starts here, in any profile, when the fetch route points at it.
 */
public class PipelineConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineConfiguration.class);

    @BindToRegistry
    public QuoteMetrics quoteMetrics(@PropertyInject("pipeline.anomaly-threshold-percent") String threshold) {
        return new QuoteMetrics(new BigDecimal(threshold));
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

    /** Bound once every configuration class has bound its beans: the store comes from the binding. */
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
        AlertStateStore store = context.getRegistry().lookupByNameAndType("alertStateStore", AlertStateStore.class);
        if (store == null) {
            throw new IllegalStateException("the active profile binds no 'alertStateStore' bean");
        }
        String threshold = context.resolvePropertyPlaceholders("{{pipeline.anomaly-threshold-percent}}");
        context.getRegistry().bind("alertGate", new AlertGate(store, new BigDecimal(threshold)));
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

    @BindToRegistry
    public LakeRecords lakeRecords(@PropertyInject("lake.prefix") String prefix) {
        return new LakeRecords(prefix);
    }

    @BindToRegistry
    public DeadLetters deadLetters(@PropertyInject("deadletter.prefix") String prefix) {
        return new DeadLetters(prefix);
    }
}
