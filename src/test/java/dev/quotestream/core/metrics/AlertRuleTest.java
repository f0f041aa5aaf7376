package dev.quotestream.core.metrics;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AlertRuleTest {

    private final QuoteMetrics metrics = new QuoteMetrics();

    private ProcessedQuote at(String timestamp, double price) {
        return metrics.process(TestQuotes.quote("NVDA", timestamp, 100.0, 120.0, 80.0, price, 1L, 100.0, "USD", "America/New_York"));
    }

    /** Runs quotes through the rule with an in-memory store and returns the alerted timestamps. */
    private List<String> alerts(List<ProcessedQuote> quotes, List<AlertState> store) {
        List<String> alerted = new ArrayList<>();
        for (ProcessedQuote q : quotes) {
            AlertState current = store.stream().filter(s -> s.tradingDay().equals(q.tradingDay()))
                    .reduce((a, b) -> b).orElse(null);
            AlertRule.Decision d = AlertRule.evaluate(current, q);
            if (d.store()) {
                store.add(d.next());
            }
            if (d.alert()) {
                alerted.add(q.timestamp() + "#" + d.next().crossings());
            }
        }
        return alerted;
    }

    @Test
    void alertsOncePerCrossingPerDay() {
        List<AlertState> store = new ArrayList<>();
        List<String> alerted = alerts(List.of(
                at("2026-11-25T14:30:00Z", 101),   // within
                at("2026-11-25T14:30:30Z", 106),   // crosses up: alert #1
                at("2026-11-25T14:31:00Z", 107),   // stays beyond: no alert
                at("2026-11-25T14:31:30Z", 108),
                at("2026-11-25T14:32:00Z", 104),   // back within
                at("2026-11-25T14:32:30Z", 93),    // crosses down: alert #2
                at("2026-11-26T14:30:00Z", 94)     // next trading day, still beyond: alert #1 of that day
        ), store);
        assertThat(alerted).containsExactly("2026-11-25T14:30:30Z#1", "2026-11-25T14:32:30Z#2",
                "2026-11-26T14:30:00Z#1");
        // Writes only on flips: up, down, up(#2), and the new day's first crossing.
        assertThat(store).hasSize(4);
    }

    @Test
    void replaysAndRedeliveriesNeverAlertAgain() {
        List<AlertState> store = new ArrayList<>();
        List<ProcessedQuote> firstRun = List.of(at("2026-11-25T14:30:00Z", 101), at("2026-11-25T14:30:30Z", 106),
                at("2026-11-25T14:31:00Z", 107));
        assertThat(alerts(firstRun, store)).hasSize(1);
        // After a restart the stream replays the same records, then moves on.
        List<ProcessedQuote> replay = new ArrayList<>(firstRun);
        replay.add(at("2026-11-25T14:31:30Z", 108));
        assertThat(alerts(replay, store)).isEmpty();
        assertThat(store).hasSize(1);
    }

    @Test
    void alertMessageCarriesSeverityAndDirection() {
        ProcessedQuote q = at("2026-11-25T14:30:30Z", 88.5);
        AlertMessage m = AlertMessage.of(q, new BigDecimal("5"), 2);
        assertThat(m.toAttributes())
                .containsEntry("direction", "down").containsEntry("severity", "critical")
                .containsEntry("change_percent", new BigDecimal("-11.5")).containsEntry("crossing", 2)
                .containsEntry("alert_key", "NVDA|2026-11-25|2");
        assertThat(m.subject()).isEqualTo("NVDA -11.5% vs previous close (critical)");
        // The SNS attributes, in contract order: symbol, severity and the idempotency key.
        assertThat(m.attributes()).containsExactly(java.util.Map.entry("symbol", "NVDA"),
                java.util.Map.entry("severity", "critical"), java.util.Map.entry("alert_key", "NVDA|2026-11-25|2"));
        assertThat(AlertMessage.of(at("2026-11-25T14:30:30Z", 106), new BigDecimal("5"), 1).severity())
                .isEqualTo("warning");
    }

    @Test
    void theSubjectStaysWithinSnsLimitsForAnyAllowedQuote() {
        // The largest move the price bounds allow: a 10^15 price against a previous close of 10^-12.
        ProcessedQuote extreme = metrics.process(new Quote("ABCDEFGHIJKLMNOPQRST", "2026-11-25T14:30:30Z",
                new BigDecimal("999999999999999"), new BigDecimal("999999999999999"), new BigDecimal("0.000000000001"),
                new BigDecimal("999999999999999"), 1L, new BigDecimal("0.000000000001"), "USD", "America/New_York"));
        AlertMessage m = AlertMessage.of(extreme, new BigDecimal("5"), 1);
        assertThat(m.subject()).hasSizeLessThan(100).matches("[\\x20-\\x7E]+");
        assertThat(m.attributes().values()).allSatisfy(v -> assertThat(v).isNotEmpty());
    }
}
