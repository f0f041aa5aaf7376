package dev.quotestream.dashboard;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The dashboard's read-only JSON API (routes/dashboard.yaml): validates each request, reads through the
 * profile's {@link QuoteReader} and {@link AlertLog}, and answers JSON. Bad input is a 400 with
 * {@code {"error":"bad_request","message":…}}; anything else a 500 with no detail beyond a reference.
 */
public class DashboardApi {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardApi.class);
    /** Strings are escaped for any context: &lt; &gt; &amp; ' never appear raw in a response. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    static {
        JSON.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
    }

    /** Limits of the API, from dashboard.api.* properties. */
    public record Limits(Duration defaultRange, Duration maxRange, int defaultPage, int maxPage,
                         int defaultAlerts, int maxAlerts) {
    }

    private final Set<String> symbols;
    private final QuoteReader quotes;
    private final AlertLog alerts;
    private final PipelineStatus status;
    private final QuarantineSource quarantine;
    private final DeadLetterCounter deadLetters;
    private final Supplier<Boolean> healthy;
    private final Limits limits;
    private final Map<String, Object> settings;
    private final Clock clock;

    /** @param settings shown as-is in /api/status (profile, fetch period, poll interval): no secrets here */
    public DashboardApi(List<String> symbols, QuoteReader quotes, AlertLog alerts, PipelineStatus status,
                        QuarantineSource quarantine, DeadLetterCounter deadLetters, Supplier<Boolean> healthy,
                        Limits limits, Map<String, Object> settings, Clock clock) {
        this.symbols = new LinkedHashSet<>(symbols);
        this.quotes = quotes;
        this.alerts = alerts;
        this.status = status;
        this.quarantine = quarantine;
        this.deadLetters = deadLetters;
        this.healthy = healthy;
        this.limits = limits;
        this.settings = Map.copyOf(settings);
        this.clock = clock;
    }

    // ---- endpoints -----------------------------------------------------------------------------------

    /** GET /api/symbols: the configured symbols, each with its newest stored quote (or null). */
    public void symbols(Exchange exchange) {
        request(exchange, Set.of());
        List<Map<String, Object>> out = new ArrayList<>();
        for (String symbol : symbols) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("symbol", symbol);
            s.put("last", quotes.latest(symbol).orElse(null));
            out.add(s);
        }
        ok(exchange, Map.of("symbols", out));
    }

    /** GET /api/quotes/{symbol}?from=&amp;to=&amp;limit=: oldest first; next_from pages on. */
    public void quotes(Exchange exchange) {
        ApiRequest r = request(exchange, Set.of("from", "to", "limit"));
        String symbol = ApiRequest.symbol(r.segmentAfter("/api/quotes/", "symbol"), symbols);
        Instant now = clock.instant();
        Instant earliest = now.minus(Duration.ofDays(3660));
        Instant latest = now.plus(Duration.ofDays(1));
        Instant to = r.instant("to", now, earliest, latest);
        Instant from = r.instant("from", to.minus(limits.defaultRange()), earliest, latest);
        if (from.isAfter(to)) {
            throw ApiError.badRequest("'from' is after 'to'");
        }
        if (Duration.between(from, to).compareTo(limits.maxRange()) > 0) {
            throw ApiError.badRequest("range from 'from' to 'to' is longer than " + limits.maxRange()
                    + " (dashboard.api.max-range); page through it");
        }
        int limit = r.integer("limit", limits.defaultPage(), 1, limits.maxPage());
        List<Map<String, Object>> page = quotes.quotes(symbol, from, to, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("symbol", symbol);
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("limit", limit);
        out.put("count", page.size());
        out.put("quotes", page);
        out.put("next_from", page.size() == limit
                ? Instant.parse((String) page.get(page.size() - 1).get("timestamp")).plusSeconds(1).toString() : null);
        ok(exchange, out);
    }

    /** GET /api/alerts?since=&amp;limit=: alerts at or after since (market time), newest first. */
    public void alerts(Exchange exchange) {
        ApiRequest r = request(exchange, Set.of("since", "limit"));
        Instant now = clock.instant();
        Instant since = r.instant("since", now.minus(limits.defaultRange()), now.minus(limits.maxRange()),
                now.plus(Duration.ofDays(1)));
        int limit = r.integer("limit", limits.defaultAlerts(), 1, limits.maxAlerts());
        List<Map<String, Object>> found = alerts.since(since, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("since", since.toString());
        out.put("limit", limit);
        out.put("count", found.size());
        out.put("alerts", found);
        ok(exchange, out);
    }

    /** GET /api/status: fetches, stream lag, dead letters today, breaker, quarantine, sinks, counters. */
    public void status(Exchange exchange) {
        request(exchange, Set.of());
        PipelineStatus.Snapshot s = status.snapshot();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("generated_at", clock.instant().toString());
        out.putAll(new java.util.TreeMap<>(settings));
        out.put("health", healthy.get() ? "UP" : "DOWN");
        Map<String, Object> breaker = new LinkedHashMap<>();
        breaker.put("state", s.breakerState());
        breaker.put("failure_rate_percent", s.breakerFailureRatePercent());
        out.put("breaker", breaker);
        Map<String, Object> stream = new LinkedHashMap<>();
        stream.put("lag_ms", s.stream().lagMs());
        stream.put("last_consumed_at", text(s.stream().lastConsumedAt()));
        stream.put("backlog", s.stream().backlog());
        out.put("stream", stream);
        Long dead;
        try {
            dead = deadLetters.today();
        } catch (RuntimeException e) {
            LOG.warn("Dashboard: cannot count today's dead letters: {}", e.getMessage());
            dead = null;
        }
        out.put("dead_letters_today", dead);
        Map<String, Object> counters = new LinkedHashMap<>();
        counters.put("records_in", s.counters().recordsIn());
        counters.put("stored", s.counters().stored());
        counters.put("dead_lettered", s.counters().deadLettered());
        counters.put("alerts", s.counters().alerts());
        out.put("counters", counters);
        List<Map<String, Object>> fetches = new ArrayList<>();
        for (PipelineStatus.SymbolFetch f : s.fetches()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("symbol", f.symbol());
            m.put("last_attempt_at", text(f.lastAttemptAt()));
            m.put("ok", f.lastAttemptAt() == null ? null : f.lastOk());
            m.put("last_success_at", text(f.lastSuccessAt()));
            m.put("latency_ms", f.latencyMs());
            m.put("error", Redact.text(f.lastError()));
            fetches.add(m);
        }
        out.put("fetches", fetches);
        List<Map<String, Object>> quarantined = new ArrayList<>();
        for (QuarantineSource.QuarantinedSymbol q : quarantine.quarantined()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("symbol", q.symbol());
            m.put("state", q.state());
            m.put("since", text(q.since()));
            m.put("reason", Redact.text(q.reason()));
            m.put("retry_at", text(q.retryAt()));
            quarantined.add(m);
        }
        out.put("quarantined", quarantined);
        List<Map<String, Object>> sinks = new ArrayList<>();
        for (PipelineStatus.SinkState k : s.sinks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("route", k.route());
            m.put("state", k.failing() ? "failing" : "ok");
            m.put("failing_since", text(k.failingSince()));
            m.put("last_success_at", text(k.lastSuccessAt()));
            m.put("error", Redact.text(k.lastError()));
            sinks.add(m);
        }
        out.put("sinks", sinks);
        ok(exchange, out);
    }

    /** The routes' error handler: ApiError as its status, anything else as a 500 without detail. */
    public void failed(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Map<String, Object> out = new LinkedHashMap<>();
        int status;
        if (t instanceof ApiError e) {
            status = e.status();
            out.put("error", status == 400 ? "bad_request" : "error");
            out.put("message", e.getMessage());
        } else {
            status = 500;
            String reference = exchange.getExchangeId();
            LOG.warn("Dashboard API request {} failed ({}): {}", reference, exchange.getMessage()
                    .getHeader(Exchange.HTTP_PATH), t == null ? "unknown" : t.toString(), t);
            out.put("error", "internal");
            out.put("message", "the request could not be answered; see the application log for " + reference);
        }
        respond(exchange, status, out);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static ApiRequest request(Exchange exchange, Set<String> allowed) {
        return ApiRequest.parse(exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class), allowed);
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void ok(Exchange exchange, Object body) {
        respond(exchange, 200, body);
    }

    /** Only the headers set here reach the client: request headers are never echoed back. */
    static void respond(Exchange exchange, int status, Object body) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        SecurityHeaders.apply(message);
        message.setBody(json);
    }

    public static String json(Object value) throws JsonProcessingException {
        return JSON.writeValueAsString(value);
    }

    /** Jackson escapes: the standard ones plus &lt; &gt; &amp; ' as \\u sequences. */
    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private final int[] table;

        HtmlSafeEscapes() {
            table = standardAsciiEscapesForJSON();
            for (char c : new char[] {'<', '>', '&', '\''}) {
                table[c] = ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
