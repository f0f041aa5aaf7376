package dev.quotestream.core;

import dev.quotestream.core.metrics.AlertState;
import dev.quotestream.core.metrics.ProcessedQuote;
import dev.quotestream.core.metrics.Quote;
import dev.quotestream.core.metrics.QuoteMetrics;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate over a whole batch (the route's): the same alerts and states as quote by quote, one write per symbol-day. */
class AlertGateBatchTest {

    /** The outbox contract in memory, with any number of alerts per conditional write; counts the calls. */
    static class Outbox implements AlertOutbox {
        final Map<String, AlertState> states = new HashMap<>();
        int replaceAllCalls;
        int changesWritten;
        int loads;

        @Override
        public synchronized AlertState load(String symbol, String tradingDay) {
            loads++;
            return states.get(symbol + "|" + tradingDay);
        }

        @Override
        public synchronized boolean replace(AlertState expected, AlertState next, List<PendingAlert> alerts) {
            String key = next.symbol() + "|" + next.tradingDay();
            AlertState stored = states.get(key);
            if ((expected == null) != (stored == null) || (stored != null
                    && !Objects.equals(stored.lastTimestamp(), expected.lastTimestamp()))) {
                return false;
            }
            TreeMap<Integer, String> pending = new TreeMap<>(stored == null ? Map.of() : stored.pending());
            alerts.forEach(a -> pending.put(a.crossing(), a.json()));
            states.put(key, next.withPending(pending));
            changesWritten++;
            return true;
        }

        @Override
        public synchronized Set<String> replaceAll(List<Change> changes) {
            replaceAllCalls++;
            return AlertOutbox.super.replaceAll(changes);
        }

        @Override
        public synchronized void markSent(List<PendingAlert> alerts) {
            for (PendingAlert alert : alerts) {
                AlertState s = states.get(alert.symbol() + "|" + alert.tradingDay());
                TreeMap<Integer, String> pending = new TreeMap<>(s.pending());
                pending.remove(alert.crossing());
                states.put(alert.symbol() + "|" + alert.tradingDay(), s.withPending(pending));
            }
        }

        @Override
        public List<PendingAlert> pending(Collection<String> symbols, String fromDay, String toDay) {
            return List.of();
        }
    }

    private final QuoteMetrics metrics = new QuoteMetrics();

    private ProcessedQuote quote(String symbol, Instant at, BigDecimal price) {
        return metrics.process(new Quote(symbol, at.toString(), new BigDecimal("100"), price.max(new BigDecimal("100")),
                price.min(new BigDecimal("100")), price, 1L, new BigDecimal("100"), "USD", "America/New_York"));
    }

    /** A random walk around the previous close of 100 that crosses the 5 % band often, 3 symbols interleaved. */
    private List<ProcessedQuote> walk(int n) {
        Random random = new Random(7);
        Map<String, BigDecimal> price = new LinkedHashMap<>(Map.of("AAA", new BigDecimal("100"),
                "BBB", new BigDecimal("100"), "CCC", new BigDecimal("100")));
        List<String> symbols = List.copyOf(price.keySet());
        List<ProcessedQuote> out = new ArrayList<>();
        Instant t = Instant.parse("2026-11-25T15:00:00Z");
        for (int i = 0; i < n; i++) {
            String s = symbols.get(random.nextInt(symbols.size()));
            BigDecimal next = price.get(s).add(BigDecimal.valueOf(random.nextGaussian() * 2.5))
                    .max(new BigDecimal("80")).min(new BigDecimal("120")).setScale(2, RoundingMode.HALF_UP);
            price.put(s, next);
            t = t.plusSeconds(1);
            out.add(quote(s, t, next));
        }
        return out;
    }

    @Test
    void aBatchDecidesTheSameAlertsAndStatesAsQuoteByQuote() {
        List<ProcessedQuote> quotes = walk(600);
        Outbox one = new Outbox();
        AlertGate byQuote = new AlertGate(one, new BigDecimal("5"));
        Map<String, String> alertsByQuote = new LinkedHashMap<>();
        quotes.forEach(q -> byQuote.evaluate(q).forEach(a -> alertsByQuote.putIfAbsent(a.key(), a.json())));

        Outbox batched = new Outbox();
        AlertGate byBatch = new AlertGate(batched, new BigDecimal("5"));
        Map<String, String> alertsByBatch = new LinkedHashMap<>();
        for (int from = 0; from < quotes.size(); from += 37) {
            byBatch.evaluateAll(quotes.subList(from, Math.min(quotes.size(), from + 37)))
                    .forEach(a -> alertsByBatch.putIfAbsent(a.key(), a.json()));
        }

        assertThat(alertsByQuote).hasSizeGreaterThan(10);
        assertThat(alertsByBatch).isEqualTo(alertsByQuote);
        assertThat(batched.states).isEqualTo(one.states);
        assertThat(batched.changesWritten).as("one write per symbol-day per batch, not per flip")
                .isLessThan(one.changesWritten / 2);
        assertThat(batched.replaceAllCalls).isLessThanOrEqualTo((600 + 36) / 37);
    }

    @Test
    void twoCrossingsOfOneSymbolInABatchAreOneWriteWithBothAlerts() {
        Outbox outbox = new Outbox();
        AlertGate gate = new AlertGate(outbox, new BigDecimal("5"));
        Instant t = Instant.parse("2026-11-25T15:00:00Z");
        List<PendingAlert> alerts = gate.evaluateAll(List.of(quote("AAA", t, new BigDecimal("107")),
                quote("AAA", t.plusSeconds(1), new BigDecimal("101")), quote("AAA", t.plusSeconds(2), new BigDecimal("93"))));

        assertThat(alerts).extracting(PendingAlert::key).containsExactly("AAA|2026-11-25|1", "AAA|2026-11-25|2");
        assertThat(outbox.changesWritten).isEqualTo(1);
        AlertState stored = outbox.states.get("AAA|2026-11-25");
        assertThat(stored.crossings()).isEqualTo(2);
        assertThat(stored.inAnomaly()).isTrue();
        assertThat(stored.pending()).containsOnlyKeys(1, 2);
        // The same batch again (a retry): replays change nothing, the pending alerts come back to be published.
        assertThat(gate.evaluateAll(List.of(quote("AAA", t.plusSeconds(2), new BigDecimal("93")))))
                .extracting(PendingAlert::key).containsExactly("AAA|2026-11-25|1", "AAA|2026-11-25|2");
        assertThat(outbox.changesWritten).isEqualTo(1);
    }

    @Test
    void aConflictReadsTheStateAgainAndDecidesAgain() {
        Outbox outbox = new Outbox();
        CachedAlertOutbox cached = new CachedAlertOutbox(outbox, 100);
        AlertGate gate = new AlertGate(cached, new BigDecimal("5"));
        Instant t = Instant.parse("2026-11-25T15:00:00Z");
        assertThat(gate.evaluateAll(List.of(quote("AAA", t, new BigDecimal("101"))))).isEmpty();
        // Another writer (another process) records a crossing the cache has not seen.
        AlertGate other = new AlertGate(outbox, new BigDecimal("5"));
        assertThat(other.evaluate(quote("AAA", t.plusSeconds(1), new BigDecimal("108")))).hasSize(1);

        int callsBefore = outbox.replaceAllCalls;
        List<PendingAlert> alerts = gate.evaluateAll(List.of(quote("AAA", t.plusSeconds(2), new BigDecimal("101")),
                quote("AAA", t.plusSeconds(3), new BigDecimal("109"))));

        // Decided against the other writer's state: back within the band, then crossing #2; #1 is still pending.
        assertThat(alerts).extracting(PendingAlert::key).containsExactly("AAA|2026-11-25|1", "AAA|2026-11-25|2");
        assertThat(outbox.states.get("AAA|2026-11-25").crossings()).isEqualTo(2);
        assertThat(outbox.replaceAllCalls - callsBefore).as("the conflict, then the write decided again").isEqualTo(2);
    }

    @Test
    void anAlertMarkedSentWhileAFlipIsWrittenStaysMarked() {
        CachedAlertOutbox[] cachedRef = new CachedAlertOutbox[1];
        List<PendingAlert> toMark = new ArrayList<>();
        Outbox outbox = new Outbox() {
            @Override
            public synchronized Set<String> replaceAll(List<Change> changes) {
                // The alert sender marks the published alert while this flip is on its way.
                if (!toMark.isEmpty()) {
                    cachedRef[0].markSent(List.copyOf(toMark));
                    toMark.clear();
                }
                return super.replaceAll(changes);
            }
        };
        CachedAlertOutbox cached = new CachedAlertOutbox(outbox, 100);
        cachedRef[0] = cached;
        AlertGate gate = new AlertGate(cached, new BigDecimal("5"));
        Instant t = Instant.parse("2026-11-25T15:00:00Z");
        List<PendingAlert> first = gate.evaluateAll(List.of(quote("AAA", t, new BigDecimal("108"))));
        assertThat(first).extracting(PendingAlert::key).containsExactly("AAA|2026-11-25|1");

        toMark.addAll(first);
        // Back within the band: a flip, written while #1 is marked (evaluated before, #1 was still pending).
        gate.evaluateAll(List.of(quote("AAA", t.plusSeconds(1), new BigDecimal("101"))));
        assertThat(outbox.states.get("AAA|2026-11-25").inAnomaly()).isFalse();

        assertThat(outbox.states.get("AAA|2026-11-25").pending()).as("stored").isEmpty();
        assertThat(cached.load("AAA", "2026-11-25").pending()).as("in memory, as stored").isEmpty();
    }
}
