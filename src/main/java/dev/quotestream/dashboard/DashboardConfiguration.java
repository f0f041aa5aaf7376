package dev.quotestream.dashboard;

import dev.quotestream.core.Failures;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import dev.quotestream.quotes.SymbolQuarantine;
import dev.quotestream.quotes.YahooSymbols;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dashboard in any profile: the monitor fed by Camel events, the sink health check, the JSON API and
 * the page. The profile's own class (local or aws) binds {@code quoteReader}, {@code alertLog} and
 * {@code deadLetterCounter}; a bean named {@code quarantineSource} replaces the fetch side's quarantine ({@link FetchQuarantine}),
 * or {@link FailingSymbols} where this instance does not fetch.
 * List it after the profile's classes in camel.main.configuration-classes.
 */
public class DashboardConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("dashboard");

    @PropertyInject("dashboard.enabled")
    private boolean enabled;
    @PropertyInject("dashboard.host")
    private String host;
    @PropertyInject("dashboard.poll-ms")
    private long pollMs;
    @PropertyInject("dashboard.health.sink-down-after-ms")
    private long sinkDownAfterMs;
    @PropertyInject("dashboard.api.default-range")
    private String defaultRange;
    @PropertyInject("dashboard.api.max-range")
    private String maxRange;
    @PropertyInject("dashboard.api.default-page-size")
    private int defaultPage;
    @PropertyInject("dashboard.api.max-page-size")
    private int maxPage;
    @PropertyInject("dashboard.api.default-alerts")
    private int defaultAlerts;
    @PropertyInject("dashboard.api.max-alerts")
    private int maxAlerts;
    @PropertyInject("dashboard.routes.fetch")
    private String fetchRoute;
    @PropertyInject("dashboard.routes.consume")
    private String consumeRoute;
    @PropertyInject("dashboard.routes.sinks")
    private String sinkRoutes;
    @PropertyInject("quotes.symbols")
    private String symbols;
    @PropertyInject("quotes.fetch-period-ms")
    private long fetchPeriodMs;
    @PropertyInject("pipeline.anomaly-threshold-percent")
    private String thresholdPercent;
    @PropertyInject(value = "camel.main.profile", defaultValue = "local")
    private String profile;

    @Override
    public void configure(CamelContext context) throws Exception {
        var registry = context.getRegistry();
        // The registry /observe/metrics scrapes, which camel-micrometer-prometheus bound before this runs.
        MeterRegistry meters = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (meters == null) {
            LOG.info("Metrics are off (camel.metrics.enabled=false): the dashboard keeps its figures in memory only");
            meters = new SimpleMeterRegistry();
        }
        // The fetch side's validated list (PipelineConfiguration, listed before this class): same symbols, same order.
        YahooSymbols validated = registry.lookupByNameAndType("yahooSymbols", YahooSymbols.class);
        List<String> symbolList = validated != null ? validated.list() : YahooSymbols.parse(symbols).list();
        List<String> sinks = Arrays.stream(sinkRoutes.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        Clock clock = Clock.systemUTC();

        PipelineMonitor monitor = new PipelineMonitor(meters, clock, symbolList, sinks);
        CircuitBreaker breaker = registry.lookupByNameAndType("yahooCircuitBreaker", CircuitBreaker.class);
        if (breaker != null) {
            monitor.breaker(() -> new PipelineMonitor.BreakerReading(breaker.getState().name(),
                    breaker.getMetrics().getFailureRate()));
        }
        String streamFrom = context.resolvePropertyPlaceholders("{{stream.from-uri}}");
        monitor.backlog(() -> context.hasEndpoint(streamFrom) instanceof SedaEndpoint seda
                ? (long) seda.getCurrentQueueSize() : null);
        // Poison or transient as the error handlers decide it: a rejected input is not a sink outage.
        Failures bound = registry.lookupByNameAndType("failures", Failures.class);
        Failures failures = bound != null ? bound : Failures.inputOnly();
        CamelPipelineEvents events = new CamelPipelineEvents(context, monitor, fetchRoute, consumeRoute,
                Set.copyOf(sinks), "{{stream.uri}}", "{{table.uri}}", "{{alerts.uri}}", "{{deadletter.uri}}",
                failures::isPoison);
        context.getManagementStrategy().addEventNotifier(events);
        context.addRoutePolicyFactory(events);
        registry.bind("pipelineMonitor", monitor);

        Duration downAfter = Duration.ofMillis(sinkDownAfterMs);
        SinkHealthCheck health = new SinkHealthCheck(monitor, downAfter);
        registry.bind("sinkHealthCheck", health);
        HealthCheckRegistry checks = HealthCheckRegistry.get(context);
        if (checks != null) {
            checks.register(health);
        }

        QuarantineSource quarantine = registry.lookupByNameAndType("quarantineSource", QuarantineSource.class);
        if (quarantine == null) {
            // The fetch side's quarantine when this instance fetches; else what this process sees failing.
            SymbolQuarantine fetchSide = registry.lookupByNameAndType("symbolQuarantine", SymbolQuarantine.class);
            quarantine = fetchSide != null ? new FetchQuarantine(fetchSide) : new FailingSymbols(monitor);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("profile", profile);
        settings.put("fetch_period_ms", fetchPeriodMs);
        settings.put("poll_ms", pollMs);
        settings.put("anomaly_threshold_percent", new java.math.BigDecimal(thresholdPercent));
        registry.bind("dashboardApi", new DashboardApi(symbolList, required(context, "quoteReader", QuoteReader.class),
                required(context, "alertLog", AlertLog.class), monitor, quarantine,
                required(context, "deadLetterCounter", DeadLetterCounter.class),
                () -> monitor.sinksFailingLongerThan(downAfter).isEmpty(),
                new DashboardApi.Limits(Duration.parse(defaultRange), Duration.parse(maxRange), defaultPage, maxPage,
                        defaultAlerts, maxAlerts), settings, clock));
        registry.bind("dashboardAssets", new DashboardAssets());

        if (enabled) {
            context.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext c, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext c, boolean alreadyStarted) {
                    announce(c);
                }
            });
        }
    }

    private static <T> T required(CamelContext context, String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("the active profile binds no '" + name + "' bean (" + type.getSimpleName()
                    + "): list its dashboard bindings before DashboardConfiguration in camel.main.configuration-classes");
        }
        return bean;
    }

    /** Prints where to look, with the port actually bound (0 in the properties means any free port). */
    private void announce(CamelContext context) {
        VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
        int port = server == null ? -1 : server.getPort();
        String shown = host.contains(":") ? "[" + host + "]" : host;
        String base = "http://" + (host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : shown) + ":" + port;
        LOG.info("Dashboard: {}/   health: {}/observe/health   metrics: {}/observe/metrics", base, base, base);
        if (!isLoopback(host)) {
            LOG.warn("Dashboard bound to {} (dashboard.host), not loopback: anyone who can reach this host can read "
                    + "it. It is read-only and shows no credentials; put it behind your own access control.", host);
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }
}
