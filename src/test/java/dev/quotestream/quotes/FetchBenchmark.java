package dev.quotestream.quotes;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.quotestream.pipeline.PipelineRunner;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Not a test: how long one fetch cycle of N symbols takes when every Yahoo answer takes D ms (WireMock on loopback,
 * fixed delay), through the real routes (local profile: parse, guard, publish to the queue, processing on).
 * Alternates the configured fetch (quotes.fetch-concurrency, quotes.max-requests-per-second) with the sequential
 * fetch of the previous design (concurrency 1, no rate limit), several cycles each, and prints min/median/max.
 * <pre>
 * mvn -q test-compile exec:java@fetch-benchmark [-Dbench.symbols=500] [-Dbench.delay-ms=150] [-Dbench.repeats=3]
 *     [-Dbench.concurrency=16] [-Dbench.rate=100] [-Dbench.sequential=true]
 * </pre>
 */
public final class FetchBenchmark {

    private FetchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int symbols = Integer.getInteger("bench.symbols", 500);
        int delayMs = Integer.getInteger("bench.delay-ms", 150);
        int repeats = Integer.getInteger("bench.repeats", 3);
        String concurrency = System.getProperty("bench.concurrency", "16");
        String rate = System.getProperty("bench.rate", "100");
        boolean sequential = Boolean.parseBoolean(System.getProperty("bench.sequential", "true"));

        WireMockServer yahoo = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(Math.max(64, Integer.parseInt(concurrency) * 4)).jettyAcceptors(2));
        yahoo.start();
        List<String> list = new ArrayList<>();
        MarketSimulator generator;
        for (int i = 0; i < symbols; i++) {
            list.add(String.format("B%03d", i));
        }
        generator = new MarketSimulator("127.0.0.1", 0, 42, 30, 10, list, Clock.systemUTC());
        Instant now = Instant.now();
        for (String s : list) {
            yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/" + s)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withFixedDelay(delayMs).withBody(generator.chartJson(s, now))));
        }
        System.out.printf("fetch cycle: %d symbols, every answer delayed %d ms (WireMock on loopback), %d cycles each%n",
                symbols, delayMs, repeats);
        List<Long> parallel = new ArrayList<>();
        List<Long> baseline = new ArrayList<>();
        try {
            for (int r = 0; r < repeats; r++) {
                long p = cycle(yahoo, list, concurrency, rate);
                parallel.add(p);
                System.out.printf("  run %d: concurrency %s, %s req/s: %,d ms%n", r + 1, concurrency, rate, p);
                if (sequential) {
                    long b = cycle(yahoo, list, "1", "1000000");
                    baseline.add(b);
                    System.out.printf("  run %d: sequential (concurrency 1, no rate limit): %,d ms%n", r + 1, b);
                }
            }
        } finally {
            yahoo.stop();
        }
        System.out.printf("concurrency %s, %s req/s: min %,d / median %,d / max %,d ms%n", concurrency, rate,
                min(parallel), median(parallel), max(parallel));
        if (sequential) {
            System.out.printf("sequential:            min %,d / median %,d / max %,d ms%n", min(baseline), median(baseline), max(baseline));
            System.out.printf("ratio (sequential / parallel, medians): %.1fx%n", (double) median(baseline) / median(parallel));
        }
    }

    /** Starts the app, times its first complete fetch cycle (timer exchange created -> completed), stops it. */
    static long cycle(WireMockServer yahoo, List<String> symbols, String concurrency, String rate) throws Exception {
        Path data = Files.createTempDirectory("fetch-benchmark");
        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.base-url", yahoo.baseUrl());
        p.put("quotes.symbols", String.join(",", symbols));
        p.put("quotes.fetch-period-ms", "3600000");
        p.put("quotes.initial-delay-ms", "1000");
        p.put("quotes.fetch-concurrency", concurrency);
        p.put("quotes.max-requests-per-second", rate);
        p.put("quotes.fetch-deadline-ms", "20000");
        p.put("quotes.breaker.window-calls", "100000");
        p.put("report.schedule-enabled", "false");
        List<Long> done = new CopyOnWriteArrayList<>();
        Map<String, Long> started = new ConcurrentHashMap<>();
        try (PipelineRunner app = PipelineRunner.start(p)) {
            EventNotifierSupport timing = new EventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) {
                    if (event instanceof CamelEvent.ExchangeEvent e && "quote-fetch".equals(e.getExchange().getFromRouteId())
                            && e.getExchange().getProperty(ExchangePropertyKey.SPLIT_INDEX) == null) {
                        if (event instanceof CamelEvent.ExchangeCreatedEvent) {
                            started.put(e.getExchange().getExchangeId(), System.nanoTime());
                        } else if (event instanceof CamelEvent.ExchangeCompletedEvent) {
                            Long t0 = started.get(e.getExchange().getExchangeId());
                            if (t0 != null) {
                                done.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                                synchronized (done) {
                                    done.notifyAll();
                                }
                            }
                        }
                    }
                }
            };
            timing.start();
            app.context().getManagementStrategy().addEventNotifier(timing);
            synchronized (done) {
                long deadline = System.currentTimeMillis() + 600_000;
                while (done.isEmpty() && System.currentTimeMillis() < deadline) {
                    done.wait(1000);
                }
            }
        }
        if (done.isEmpty()) {
            throw new IllegalStateException("no fetch cycle completed within 10 minutes");
        }
        return done.get(0);
    }

    static long min(List<Long> v) {
        return Collections.min(v);
    }

    static long max(List<Long> v) {
        return Collections.max(v);
    }

    static long median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
