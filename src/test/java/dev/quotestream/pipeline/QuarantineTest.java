package dev.quotestream.pipeline;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.quotestream.quotes.FetchOutcomes;
import dev.quotestream.quotes.MarketSimulator;
import dev.quotestream.quotes.SymbolQuarantine;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.CamelEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Five unknown symbols among eight: the breaker (counting only what says Yahoo is unwell) stays closed, the
 * good symbols are fetched every cycle, the unknown ones are quarantined with growing backoff, dead-lettered once
 * each, listed by the {@code symbolQuarantine} bean, and logged without ERRORs or stack traces.
 */
class QuarantineTest {

    static final List<String> GOOD = List.of("AAPL", "MSFT", "NVDA");
    static final List<String> UNKNOWN = List.of("ZZZA", "ZZZB", "ZZZC", "ZZZD", "CRUMB");
    private WireMockServer yahoo;

    @BeforeEach
    void start() {
        yahoo = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        yahoo.start();
    }

    @AfterEach
    void stop() {
        yahoo.stop();
    }

    @Test
    void unknownSymbolsAreQuarantinedAndTheGoodOnesFetchedEveryCycle(@TempDir Path data) throws Exception {
        MarketSimulator generator = new MarketSimulator("127.0.0.1", 0, 42, 30, 10, GOOD, Clock.systemUTC());
        for (String s : GOOD) {
            yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/" + s)).willReturn(aResponse().withStatus(200)
                    .withBody(generator.chartJson(s, Instant.now()))));
        }
        for (String s : UNKNOWN.subList(0, 4)) {
            yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/" + s)).willReturn(aResponse().withStatus(404)
                    .withBody("{\"chart\":{\"result\":null,\"error\":{\"code\":\"Not Found\","
                            + "\"description\":\"No data found, symbol may be delisted\"}}}")));
        }
        yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/CRUMB")).willReturn(aResponse().withStatus(401)
                .withBody("{\"finance\":{\"result\":null,\"error\":{\"code\":\"Unauthorized\",\"description\":\"Invalid Crumb\"}}}")));

        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.base-url", yahoo.baseUrl());
        p.put("quotes.symbols", "AAPL,ZZZA,MSFT,ZZZB,ZZZC,NVDA,ZZZD,CRUMB");
        p.put("quotes.fetch-period-ms", "300");
        p.put("quotes.initial-delay-ms", "100");
        p.put("quotes.breaker.window-calls", "4");
        p.put("quotes.quarantine.initial-backoff-ms", "1500");
        p.put("quotes.quarantine.max-backoff-ms", "3000");
        p.put("report.schedule-enabled", "false");
        int rounds;
        List<SymbolQuarantine.Entry> quarantined;
        Map<String, Long> outcomes;
        List<LogCapture.Line> log;
        try (LogCapture capture = LogCapture.attach(); PipelineRunner app = PipelineRunner.start(p)) {
            ExchangeCounter cycles = ExchangeCounter.of(app.context(), e -> e instanceof CamelEvent.ExchangeCompletedEvent c
                    && "quote-fetch".equals(c.getExchange().getFromRouteId())
                    && c.getExchange().getProperty(ExchangePropertyKey.SPLIT_INDEX) == null);
            assertThat(cycles.await(15, Duration.ofSeconds(60))).as("15 fetch cycles").isTrue();
            app.context().getRouteController().stopRoute("quote-fetch");
            rounds = cycles.count();
            CircuitBreaker breaker = app.context().getRegistry().lookupByNameAndType("yahooCircuitBreaker", CircuitBreaker.class);
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            quarantined = app.context().getRegistry().lookupByNameAndType("symbolQuarantine", SymbolQuarantine.class).quarantined();
            outcomes = app.context().getRegistry().lookupByNameAndType("fetchOutcomes", FetchOutcomes.class).snapshot();
            log = capture.lines();
        }
        // The good symbols: one request per cycle, every cycle.
        for (String s : GOOD) {
            int requests = yahoo.countRequestsMatching(getRequestedFor(urlPathEqualTo("/v8/finance/chart/" + s)).build()).getCount();
            assertThat(requests).as(s).isEqualTo(rounds);
        }
        // The unknown ones: the first request, then a retry per backoff (1.5 s, 3 s, 3 s, ...): far fewer.
        for (String s : UNKNOWN) {
            int requests = yahoo.countRequestsMatching(getRequestedFor(urlPathEqualTo("/v8/finance/chart/" + s)).build()).getCount();
            assertThat(requests).as(s).isBetween(2, rounds / 3);
        }
        // The health view: each unknown symbol, since when, next retry, Yahoo's own words.
        assertThat(quarantined).extracting(SymbolQuarantine.Entry::symbol).containsExactly("CRUMB", "ZZZA", "ZZZB", "ZZZC", "ZZZD");
        assertThat(quarantined).allSatisfy(e -> {
            assertThat(e.nextRetry()).isAfter(e.since());
            assertThat(e.failures()).isGreaterThanOrEqualTo(2);
        });
        assertThat(quarantined.get(0).reason()).isEqualTo("HTTP 401 Unauthorized: Invalid Crumb");
        assertThat(quarantined.get(1).reason()).isEqualTo("HTTP 404 Not Found: No data found, symbol may be delisted");

        // One dead letter per symbol (the state change), not one per cycle; the reason keeps Yahoo's text.
        Map<String, List<Map<String, Object>>> dead = new LocalData(data).deadLetters("quote-fetch").stream()
                .collect(Collectors.groupingBy(d -> (String) d.get("symbol")));
        assertThat(dead.keySet()).containsExactlyInAnyOrderElementsOf(UNKNOWN);
        assertThat(dead.values()).allSatisfy(d -> assertThat(d).hasSize(1));
        assertThat((String) dead.get("CRUMB").get(0).get("reason")).endsWith(": Unauthorized: Invalid Crumb");

        // fetches = published + unchanged + dead_lettered + quarantined + breaker_open
        assertThat(outcomes.get("fetches")).isEqualTo(8L * rounds);
        assertThat(outcomes.get("published") + outcomes.get("unchanged") + outcomes.get("dead_lettered")
                + outcomes.get("quarantined") + outcomes.get("breaker_open")).isEqualTo(outcomes.get("fetches"));
        assertThat(outcomes.get("published")).isEqualTo(3);
        assertThat(outcomes.get("dead_lettered")).isEqualTo(5);
        assertThat(outcomes.get("breaker_open")).isZero();

        // The log: no ERROR, no stack trace; per unknown symbol one dead-letter line, one quarantine line and
        // one line per failed retry -- nothing on the cycles it is skipped.
        assertThat(log).noneMatch(l -> l.level().equals("ERROR")).noneMatch(LogCapture.Line::stackTrace);
        for (String s : UNKNOWN) {
            long lines = log.stream().filter(l -> l.message().contains(" " + s + " ") || l.message().contains(" " + s + ":")).count();
            int requests = yahoo.countRequestsMatching(getRequestedFor(urlPathEqualTo("/v8/finance/chart/" + s)).build()).getCount();
            assertThat(lines).as("log lines for %s", s).isEqualTo(requests + 1L);
        }
    }
}
