package dev.quotestream.core;

import dev.quotestream.core.metrics.AlertState;
import dev.quotestream.core.metrics.ProcessedQuote;
import dev.quotestream.core.metrics.Quote;
import dev.quotestream.core.metrics.QuoteMetrics;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate and the relay over an in-memory outbox: pending until published, published once per process. */
class AlertOutboxCoreTest {

    /** The outbox contract in memory: state and its pending alerts change together. */
    static final class MemoryOutbox implements AlertOutbox {
        final Map<String, AlertState> states = new HashMap<>();
        int marks;
        boolean down;

        @Override
        public synchronized AlertState load(String symbol, String tradingDay) {
            return states.get(symbol + "|" + tradingDay);
        }

        @Override
        public synchronized boolean replace(AlertState expected, AlertState next, List<PendingAlert> alerts) {
            String key = next.symbol() + "|" + next.tradingDay();
            AlertState stored = states.get(key);
            if (!Objects.equals(stored == null ? null : stored.lastTimestamp(), expected == null ? null : expected.lastTimestamp())
                    || (expected == null) != (stored == null)) {
                return false;
            }
            TreeMap<Integer, String> pending = new TreeMap<>(stored == null ? Map.of() : stored.pending());
            alerts.forEach(alert -> pending.put(alert.crossing(), alert.json()));
            states.put(key, next.withPending(pending));
            return true;
        }

        @Override
        public synchronized void markSent(List<PendingAlert> alerts) {
            if (down) {
                throw new IllegalStateException("table down");
            }
            marks++;
            for (PendingAlert alert : alerts) {
                AlertState s = states.get(alert.symbol() + "|" + alert.tradingDay());
                TreeMap<Integer, String> pending = new TreeMap<>(s.pending());
                pending.remove(alert.crossing());
                states.put(alert.symbol() + "|" + alert.tradingDay(), s.withPending(pending));
            }
        }

        @Override
        public synchronized List<PendingAlert> pending(Collection<String> symbols, String fromDay, String toDay) {
            List<PendingAlert> out = new ArrayList<>();
            states.values().forEach(s -> s.pending().forEach((c, json) -> {
                if (symbols.contains(s.symbol())) {
                    out.add(new PendingAlert(s.symbol(), s.tradingDay(), c, json));
                }
            }));
            return out;
        }
    }

    private final QuoteMetrics metrics = new QuoteMetrics();

    private ProcessedQuote at(String time, String price) {
        return metrics.process(new Quote("NVDA", "2026-11-25T" + time + "Z", new BigDecimal("100"), new BigDecimal("120"),
                new BigDecimal("80"), new BigDecimal(price), 1L, new BigDecimal("100"), "USD", "America/New_York"));
    }

    @Test
    void aCrossingIsPendingUntilPublishedAndEveryLoadReturnsIt() {
        MemoryOutbox outbox = new MemoryOutbox();
        AlertGate gate = new AlertGate(outbox, new BigDecimal("5"));
        assertThat(gate.evaluate(at("14:30:00", "101"))).isEmpty();
        List<PendingAlert> crossing = gate.evaluate(at("14:30:30", "108"));
        assertThat(crossing).singleElement().satisfies(a -> {
            assertThat(a.key()).isEqualTo("NVDA|2026-11-25|1");
            assertThat(a.json()).contains("\"alert_key\":\"NVDA|2026-11-25|1\"");
        });
        // Not published (SNS down, a stop, a crash): the replay of the same record returns it again...
        assertThat(gate.evaluate(at("14:30:30", "108"))).extracting(PendingAlert::key).containsExactly("NVDA|2026-11-25|1");
        // ... and so does the next quote of the symbol.
        assertThat(gate.evaluate(at("14:31:00", "108.5"))).extracting(PendingAlert::key).containsExactly("NVDA|2026-11-25|1");
        outbox.markSent(crossing.get(0));
        assertThat(gate.evaluate(at("14:31:30", "109"))).isEmpty();
    }

    @Test
    void theRelayPublishesEachAlertOncePerProcessAndRetriesAFailureWithBackoff() {
        MemoryOutbox outbox = new MemoryOutbox();
        AlertGate gate = new AlertGate(outbox, new BigDecimal("5"));
        gate.evaluate(at("14:30:00", "101"));
        PendingAlert alert = gate.evaluate(at("14:30:30", "108")).get(0);
        Instant[] now = {Instant.parse("2026-11-25T14:30:31Z")};
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now[0];
            }
        };
        AlertRelay relay = new AlertRelay(outbox, clock, Duration.ofSeconds(1), Duration.ofSeconds(30),
                () -> outbox.pending(List.of("NVDA"), "2026-11-22", "2026-11-26"));
        assertThat(relay.due()).containsExactly(alert); // found at startup
        assertThat(relay.claim(alert)).isTrue();
        assertThat(relay.claim(alert)).as("in flight: a replay does not publish it twice").isFalse();
        relay.failed(alert);
        assertThat(relay.due()).as("backing off").isEmpty();
        now[0] = now[0].plusSeconds(2);
        assertThat(relay.due()).containsExactly(alert);
        assertThat(relay.claim(alert)).isTrue();
        relay.published(alert);
        relay.markPublished();
        assertThat(outbox.pending(List.of("NVDA"), "2026-11-22", "2026-11-26")).isEmpty();
        assertThat(relay.claim(alert)).as("published by this process").isFalse();
        assertThat(relay.due()).isEmpty();
    }

    @Test
    void publishedAlertsAreMarkedInOneWritePerSymbolDayAndAFailedMarkIsRetriedNeverResent() {
        MemoryOutbox outbox = new MemoryOutbox();
        AlertGate gate = new AlertGate(outbox, new BigDecimal("5"));
        gate.evaluate(at("14:30:00", "101"));
        gate.evaluate(at("14:30:30", "108")); // crossing 1
        gate.evaluate(at("14:31:00", "101")); // back under the threshold
        gate.evaluate(at("14:31:30", "108")); // crossing 2
        List<PendingAlert> pending = outbox.pending(List.of("NVDA"), "2026-11-25", "2026-11-25");
        assertThat(pending).extracting(PendingAlert::key).containsExactly("NVDA|2026-11-25|1", "NVDA|2026-11-25|2");
        AlertRelay relay = new AlertRelay(outbox, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(30), List::of);
        for (PendingAlert alert : pending) {
            assertThat(relay.claim(alert)).isTrue();
            relay.published(alert);
        }
        outbox.down = true;
        relay.markPublished();
        assertThat(outbox.pending(List.of("NVDA"), "2026-11-25", "2026-11-25")).as("the mark failed").hasSize(2);
        assertThat(relay.claim(pending.get(0))).as("published: never re-sent by this process").isFalse();
        outbox.down = false;
        relay.markPublished();
        assertThat(outbox.pending(List.of("NVDA"), "2026-11-25", "2026-11-25")).isEmpty();
        assertThat(outbox.marks).as("two alerts of one symbol-day, one write").isEqualTo(1);
        relay.markPublished();
        assertThat(outbox.marks).as("nothing left to mark").isEqualTo(1);
    }
}
