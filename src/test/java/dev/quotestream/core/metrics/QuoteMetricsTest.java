package dev.quotestream.core.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The metrics on exact decimals (docs/data-contract.md §2): prices as given, change and moving_avg exact, only
 * change_percent rounded (4 places, HALF_EVEN); values written plain (DynamoDB trims trailing zeros, so the contract
 * does not promise them).
 */
class QuoteMetricsTest {

    private final QuoteMetrics metrics = new QuoteMetrics();

    private static Quote quote(String open, String high, String low, String price, String previousClose) {
        return new Quote("AAPL", "2026-11-25T14:40:00Z", new BigDecimal(open), new BigDecimal(high),
                new BigDecimal(low), new BigDecimal(price), 1000L, new BigDecimal(previousClose), "USD", "America/New_York");
    }

    @ParameterizedTest(name = "o={0} h={1} l={2} p={3} pc={4} -> change={5} pct={6} avg={7} anomaly={8}")
    @CsvSource({
            // open, high, low, price, prevClose, change, change%, moving_avg, anomaly
            "100, 110, 90, 105, 100, 5, 5, 101.25, false",                  // exactly 5 % is not beyond
            "100, 110, 90, 105.01, 100, 5.01, 5.01, 101.2525, true",        // just beyond
            "100, 100, 90, 94.99, 100, -5.01, -5.01, 96.2475, true",        // beyond, downwards
            "100, 100, 90, 95, 100, -5, -5, 96.25, false",
            "3, 3, 3, 2, 3, -1, -33.3333, 2.75, true",                      // 33.33333.. rounds down
            "3, 3, 3, 4, 3, 1, 33.3333, 3.25, true",
            "1, 1, 1, 1.00005, 1, 0.00005, 0.005, 1.0000125, false",        // kept as given, not rounded to 1.0000
            "74.06, 75.15, 73.7975, 75.0875, 73.412, 1.6755, 2.2823, 74.52375, false", // 167.55/73.412=2.28233
            "2.00, 2.00, 2.00, 2.0001, 2.0, 0.0001, 0.005, 2.000025, false",
            // Penny and crypto prices keep their digits: 0.00004 is not 0 (was: change -100 %, an alert).
            "0.00005, 0.00005, 0.00003, 0.00004, 0.00005, -0.00001, -20, 0.0000425, true",
            "0.000012345678, 0.000012345678, 0.000012345678, 0.000012345679, 0.000012345678, 0.000000000001, 0, 0.00001234567825, false",
            "999999999999999, 999999999999999, 999999999999999, 999999999999999, 0.000000000001, 999999999999998.999999999999, 99999999999999899999999999900, 999999999999999, true",
    })
    void computesExactMetrics(String open, String high, String low, String price, String previousClose,
                              String change, String changePercent, String movingAvg, boolean anomaly) {
        ProcessedQuote p = metrics.process(quote(open, high, low, price, previousClose));
        assertThat(p.change()).isEqualTo(new BigDecimal(change));
        assertThat(p.changePercent()).isEqualTo(new BigDecimal(changePercent));
        assertThat(p.movingAvg()).isEqualTo(new BigDecimal(movingAvg));
        assertThat(p.anomaly()).isEqualTo(anomaly);
        assertThat(p.price()).isEqualTo(Decimals.plain(new BigDecimal(price)));
        // Every stored number fits DynamoDB's N: at most 38 significant digits.
        for (BigDecimal n : new BigDecimal[]{p.open(), p.high(), p.low(), p.price(), p.previousClose(), p.change(),
                p.changePercent(), p.movingAvg()}) {
            assertThat(Decimals.significantDigits(n)).isLessThanOrEqualTo(38);
            assertThat(n.toPlainString()).doesNotContain("E");
        }
    }

    @Test
    void thresholdIsConfigurable() {
        QuoteMetrics strict = new QuoteMetrics(new BigDecimal("1.5"));
        assertThat(strict.process(quote("100", "102", "99", "101.6", "100")).anomaly()).isTrue();
        assertThat(strict.process(quote("100", "102", "99", "101.5", "100")).anomaly()).isFalse();
        assertThatThrownBy(() -> new QuoteMetrics(BigDecimal.ZERO)).hasMessageContaining("positive");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "price zero          | 0                  | price is not positive (0)",
            "price negative      | -3.5               | price is not positive (-3.5)",
            "price 1e300         | 1E+300             | price is beyond 1000000000000000 (1E+300)",
            "price 1e15 + 1      | 1000000000000001   | price is beyond 1000000000000000 (1000000000000001)",
            "13 decimal places   | 1.0000000000001    | price has more than 12 decimal places (1.0000000000001)",
            "16 digits           | 123456789.0123456  | price has more than 15 significant digits (123456789.0123456)",
    })
    void rejectsPricesOutsideTheContractsRange(String name, String price, String reason) {
        assertThatThrownBy(() -> metrics.process(quote("100", "110", "90", price, "100")))
                .isInstanceOf(InvalidQuoteException.class)
                .hasMessageContaining("invalid quote AAPL at 2026-11-25T14:40:00Z")
                .hasMessageContaining(reason);
    }

    @Test
    void aReasonStaysShortForAHugeNumber() {
        assertThatThrownBy(() -> metrics.process(quote("100", "110", "90", "1E+300", "100")))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    @Test
    void rejectsMissingAndInconsistentInputsNamingEveryProblem() {
        Quote missing = TestQuotes.quote("AAPL", null, null, 10.0, 9.0, 9.5, null, null);
        assertThatThrownBy(() -> metrics.process(missing))
                .isInstanceOf(InvalidQuoteException.class)
                .hasMessageContaining("timestamp is missing")
                .hasMessageContaining("open is missing")
                .hasMessageContaining("volume is missing")
                .hasMessageContaining("previous_close is missing");
        assertThatThrownBy(() -> metrics.process(quote("100", "90", "110", "100", "100")))
                .hasMessageContaining("high (90) is below low (110)");
        assertThatThrownBy(() -> metrics.process(TestQuotes.quote("AAPL", "2026-11-25 14:40", 1, 1, 1, 1, 1L, 1)))
                .hasMessageContaining("is not ISO-8601");
        assertThatThrownBy(() -> metrics.process(TestQuotes.quote("aapl;drop", "2026-11-25T14:40:00Z", 1, 1, 1, 1, 1L, 1)))
                .hasMessageContaining("is not a ticker symbol");
        assertThatThrownBy(() -> metrics.process(TestQuotes.quote("AAPL", "2026-11-25T14:40:00Z", 1, 1, 1, 1, -1L, 1)))
                .hasMessageContaining("volume is negative (-1)");
        assertThatThrownBy(() -> metrics.process(null)).hasMessageContaining("quote is empty");
    }

    @Test
    void timestampsArePlausibleAndInSeconds() {
        // A market time in milliseconds read as seconds lands in the year 58871.
        String millis = Instant.ofEpochSecond(1_795_611_600_000L).truncatedTo(ChronoUnit.SECONDS).toString();
        assertThat(millis).startsWith("+5887");
        assertThatThrownBy(() -> metrics.process(TestQuotes.quote("AAPL", millis, 1, 1, 1, 1, 1L, 1)))
                .hasMessageContaining("is more than a day in the future");
        String tomorrowAndMore = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        assertThatThrownBy(() -> metrics.process(TestQuotes.quote("AAPL", tomorrowAndMore, 1, 1, 1, 1, 1L, 1)))
                .hasMessageContaining("is more than a day in the future");
        assertThatThrownBy(() -> metrics.process(TestQuotes.quote("AAPL", "1999-12-31T23:59:59Z", 1, 1, 1, 1, 1L, 1)))
                .hasMessageContaining("is before 2000-01-01T00:00:00Z");
        assertThatThrownBy(() -> metrics.process(TestQuotes.quote("AAPL", "2026-11-25T14:40:00.250Z", 1, 1, 1, 1, 1L, 1)))
                .hasMessageContaining("is not UTC ISO-8601 in whole seconds");
    }

    @Test
    void readsQuotesFromDecodedJsonMapsAndReportsWrongTypesWithoutReplacingThem() {
        Map<String, Object> m = new HashMap<>(Map.of("symbol", "MSFT", "timestamp", "2026-11-25T15:00:00Z",
                "open", 400, "high", 410.5, "low", 399, "price", new BigDecimal("405.25"), "volume", 12345,
                "previous_close", 401));
        m.put("currency", "USD");
        m.put("exchange_timezone", "America/New_York");
        ProcessedQuote p = metrics.process(Quote.fromAttributes(m));
        assertThat(p.toAttributes()).containsEntry("symbol", "MSFT").containsEntry("volume", 12345L)
                .containsEntry("change", new BigDecimal("4.25")).containsEntry("anomaly", false)
                .containsKeys(ProcessedQuote.ATTRIBUTES.toArray(String[]::new));
        assertThat(p.toAttributes().keySet()).containsExactlyElementsOf(ProcessedQuote.ATTRIBUTES);

        m.put("price", "405.25");
        m.put("volume", 1.5);
        m.put("open", Double.NaN);
        assertThatThrownBy(() -> Quote.fromAttributes(m))
                .isInstanceOf(InvalidQuoteException.class)
                .hasMessageContaining("price is not a number (\"405.25\")")
                .hasMessageContaining("volume is not a whole number (1.5)")
                .hasMessageContaining("open is not finite (NaN)");
    }

    @Test
    void volumesMustFitA64BitIntegerWithoutWrapping() {
        Map<String, Object> m = new HashMap<>(Map.of("symbol", "MSFT", "timestamp", "2026-11-25T15:00:00Z",
                "open", 400, "high", 410, "low", 399, "price", 405, "previous_close", 401));
        m.put("currency", "USD");
        m.put("exchange_timezone", "America/New_York");
        m.put("volume", BigInteger.TWO.pow(64).add(BigInteger.valueOf(5)));
        assertThatThrownBy(() -> Quote.fromAttributes(m)).hasMessageContaining("volume does not fit a 64-bit integer (18446744073709551621)");
        m.put("volume", new BigDecimal("1E+19"));
        assertThatThrownBy(() -> Quote.fromAttributes(m)).hasMessageContaining("volume does not fit a 64-bit integer (10000000000000000000)");
        m.put("volume", BigInteger.valueOf(Long.MAX_VALUE));
        assertThat(metrics.process(Quote.fromAttributes(m)).volume()).isEqualTo(Long.MAX_VALUE);
        m.put("volume", new BigDecimal("1000.0"));
        assertThat(metrics.process(Quote.fromAttributes(m)).volume()).isEqualTo(1000L);
    }
}
