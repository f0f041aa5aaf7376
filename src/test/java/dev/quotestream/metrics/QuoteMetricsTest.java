package dev.quotestream.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuoteMetricsTest {

    private final QuoteMetrics metrics = new QuoteMetrics();

    private static Quote quote(double open, double high, double low, double price, double previousClose) {
        return new Quote("AAPL", "2026-11-25T14:40:00Z", open, high, low, price, 1000L, previousClose, "USD", "America/New_York");
    }

    @ParameterizedTest(name = "o={0} h={1} l={2} p={3} pc={4} -> change={5} pct={6} avg={7} anomaly={8}")
    @CsvSource({
            // open, high, low, price, prevClose, change, change%, moving_avg, anomaly
            "100, 110, 90, 105, 100, 5.0000, 5.0000, 101.2500, false",   // exactly 5 % is not beyond
            "100, 110, 90, 105.01, 100, 5.0100, 5.0100, 101.2525, true", // just beyond
            "100, 100, 90, 94.99, 100, -5.0100, -5.0100, 96.2475, true", // beyond, downwards
            "100, 100, 90, 95, 100, -5.0000, -5.0000, 96.2500, false",
            "3, 3, 3, 2, 3, -1.0000, -33.3333, 2.7500, true",            // 33.33333.. rounds down
            "3, 3, 3, 4, 3, 1.0000, 33.3333, 3.2500, true",
            "1, 1, 1, 1.00005, 1, 0.0000, 0.0000, 1.0000, false",        // 1.00005 -> 1.0000 (HALF_EVEN)
            "1, 1, 1, 1.00015, 1, 0.0002, 0.0200, 1.0000, false",        // 1.00015 -> 1.0002 (HALF_EVEN)
            "0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0000, 0.0000, 0.0001, false",
            "74.06, 75.15, 73.7975, 75.0875, 73.412, 1.6755, 2.2823, 74.5238, false", // 167.55/73.412=2.28233; 298.095/4=74.52375 -> even
            "2.00, 2.00, 2.00, 2.0001, 2.0, 0.0001, 0.0050, 2.0000, false", // (8.0001)/4=2.000025 -> 2.0000
            "2.00, 2.00, 2.00, 2.0003, 2.0, 0.0003, 0.0150, 2.0001, false", // 8.0003/4=2.000075 -> 2.0001
    })
    void computesMetricsAtScaleFour(double open, double high, double low, double price, double previousClose,
                                    String change, String changePercent, String movingAvg, boolean anomaly) {
        ProcessedQuote p = metrics.process(quote(open, high, low, price, previousClose));
        assertThat(p.change()).isEqualByComparingTo(change);
        assertThat(p.change().scale()).isEqualTo(4);
        assertThat(p.changePercent()).isEqualTo(new BigDecimal(changePercent));
        assertThat(p.movingAvg()).isEqualTo(new BigDecimal(movingAvg));
        assertThat(p.anomaly()).isEqualTo(anomaly);
        assertThat(p.price().scale()).isEqualTo(4);
    }

    @Test
    void thresholdIsConfigurable() {
        QuoteMetrics strict = new QuoteMetrics(new BigDecimal("1.5"));
        assertThat(strict.process(quote(100, 102, 99, 101.6, 100)).anomaly()).isTrue();
        assertThat(strict.process(quote(100, 102, 99, 101.5, 100)).anomaly()).isFalse();
        assertThatThrownBy(() -> new QuoteMetrics(BigDecimal.ZERO)).hasMessageContaining("positive");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "price NaN           | NaN      | price is not finite (NaN)",
            "price +Infinity     | Infinity | price is not finite (Infinity)",
            "price zero          | 0        | price is not positive (0.0)",
            "price negative      | -3.5     | price is not positive (-3.5)",
    })
    void rejectsBadPrices(String name, double price, String reason) {
        assertThatThrownBy(() -> metrics.process(quote(100, 110, 90, price, 100)))
                .isInstanceOf(InvalidQuoteException.class)
                .hasMessageContaining("invalid quote AAPL at 2026-11-25T14:40:00Z")
                .hasMessageContaining(reason);
    }

    @Test
    void rejectsMissingAndInconsistentInputsNamingEveryProblem() {
        Quote missing = new Quote("AAPL", null, null, 10.0, 9.0, 9.5, null, null, "USD", "America/New_York");
        assertThatThrownBy(() -> metrics.process(missing))
                .isInstanceOf(InvalidQuoteException.class)
                .hasMessageContaining("timestamp is missing")
                .hasMessageContaining("open is missing")
                .hasMessageContaining("volume is missing")
                .hasMessageContaining("previous_close is missing");
        assertThatThrownBy(() -> metrics.process(quote(100, 90, 110, 100, 100)))
                .hasMessageContaining("high (90.0) is below low (110.0)");
        assertThatThrownBy(() -> metrics.process(new Quote("AAPL", "2026-11-25 14:40", 1.0, 1.0, 1.0, 1.0, 1L, 1.0, "USD", "America/New_York")))
                .hasMessageContaining("is not ISO-8601");
        assertThatThrownBy(() -> metrics.process(new Quote("aapl;drop", "2026-11-25T14:40:00Z", 1.0, 1.0, 1.0, 1.0, 1L, 1.0, "USD", "America/New_York")))
                .hasMessageContaining("is not a ticker symbol");
        assertThatThrownBy(() -> metrics.process(new Quote("AAPL", "2026-11-25T14:40:00Z", 1.0, 1.0, 1.0, 1.0, -1L, 1.0, "USD", "America/New_York")))
                .hasMessageContaining("volume is negative (-1)");
        assertThatThrownBy(() -> metrics.process(quote(1, 1, 1, 1, 0.00004)))
                .hasMessageContaining("previous_close rounds to zero");
        assertThatThrownBy(() -> metrics.process(null)).hasMessageContaining("quote is empty");
    }

    @Test
    void readsQuotesFromDecodedJsonMapsAndReportsWrongTypes() {
        Map<String, Object> m = new HashMap<>(Map.of("symbol", "MSFT", "timestamp", "2026-11-25T15:00:00Z",
                "open", 400, "high", 410.5, "low", 399, "price", 405.25, "volume", 12345, "previous_close", 401));
        m.put("currency", "USD");
        m.put("exchange_timezone", "America/New_York");
        ProcessedQuote p = metrics.process(Quote.fromAttributes(m));
        assertThat(p.toAttributes()).containsEntry("symbol", "MSFT").containsEntry("volume", 12345L)
                .containsEntry("change", new BigDecimal("4.2500")).containsEntry("anomaly", false)
                .containsKeys(ProcessedQuote.ATTRIBUTES.toArray(String[]::new));
        assertThat(p.toAttributes().keySet()).containsExactlyElementsOf(ProcessedQuote.ATTRIBUTES);

        m.put("price", "405.25");
        m.put("volume", 1.5);
        assertThatThrownBy(() -> Quote.fromAttributes(m))
                .isInstanceOf(InvalidQuoteException.class)
                .hasMessageContaining("price is not a number (\"405.25\")")
                .hasMessageContaining("volume is not a whole number (1.5)");
    }
}
