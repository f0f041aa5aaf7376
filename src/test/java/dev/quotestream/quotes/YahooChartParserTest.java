package dev.quotestream.quotes;

import dev.quotestream.core.metrics.TestQuotes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quotestream.core.metrics.InvalidQuoteException;
import dev.quotestream.core.metrics.Quote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class YahooChartParserTest {

    private final YahooChartParser parser = new YahooChartParser();

    /** The body of the captured Yahoo exchange (src/test/resources/yahoo, see SOURCE.md there). */
    public static String capturedYahooBody() throws IOException {
        JsonNode exchange = new ObjectMapper().readTree(resource("chart-AAPL-2020-01-01-to-2020-01-03.json"));
        assertThat(exchange.at("/response/status").asInt()).isEqualTo(200);
        return exchange.at("/response/bodyJson").toString();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = YahooChartParserTest.class.getResourceAsStream("/yahoo/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void rejectsTheCapturedYahooResponseBecauseItIsNotTheRequestedGranularity() throws IOException {
        // interval=1d bars of 2020 under a meta of 2026-10-02: once stored as open 74.06 / high 75.15 / low
        // 73.7975 with the price 333.69 and 3 days of volume (issue 10). The guard now refuses it.
        assertThatThrownBy(() -> parser.parse(capturedYahooBody(), "AAPL"))
                .isInstanceOf(InvalidQuoteException.class)
                .hasMessage("Yahoo chart response for AAPL fails the 'request' check: dataGranularity is '1d', "
                        + "requested 1m");
    }

    @Test
    void aggregatesMinuteBarsSkippingNullsAndFallsBackToChartPreviousClose() throws IOException {
        Quote q = parser.parse(resource("chart-MSFT-1m-with-nulls.json"), "MSFT");
        assertThat(q).isEqualTo(TestQuotes.quote("MSFT", "2025-11-25T14:30:00Z", 419.2, 422.75, 418.9, 421.37,
                250_000L, 418.5, "USD", "America/New_York"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "chart-MSFT-empty-arrays.json  | Yahoo chart response for MSFT has no price bars (empty or all-null indicators)",
            "chart-MSFT-all-null.json      | Yahoo chart response for MSFT has no price bars (empty or all-null indicators)",
            "chart-MSFT-no-bars.json       | Yahoo chart response for MSFT has no price bars",
            "error-404-not-found.json      | Yahoo chart error for MSFT: Not Found: No data found, symbol may be delisted",
            "chart-MSFT-truncated.json     | Yahoo chart response for MSFT is not JSON",
            "chart-MSFT-nan-price.json     | invalid quote MSFT at 2025-11-25T14:30:00Z: price is not finite (NaN)",
            "chart-MSFT-negative-price.json| invalid quote MSFT at 2025-11-25T14:30:00Z: price is not positive (-2.5)",
            "chart-MSFT-zero-price.json    | invalid quote MSFT at 2025-11-25T14:30:00Z: price is not positive (0)",
    })
    void rejectsBadResponsesWithAClearReason(String file, String reason) throws IOException {
        String body = resource(file);
        assertThatThrownBy(() -> parser.parse(body, "MSFT"))
                .isInstanceOf(InvalidQuoteException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void rejectsEmptyBodiesAndAnswersForAnotherSymbol() throws IOException {
        assertThatThrownBy(() -> parser.parse("", "MSFT")).hasMessage("Yahoo chart response for MSFT is empty");
        assertThatThrownBy(() -> parser.parse("{\"chart\":{\"result\":[],\"error\":null}}", "MSFT"))
                .hasMessage("Yahoo chart response for MSFT has no result");
        assertThatThrownBy(() -> parser.parse("[1,2]", "MSFT")).hasMessage("Yahoo chart response for MSFT has no 'chart' object");
        String msft = resource("chart-MSFT-1m-with-nulls.json");
        assertThatThrownBy(() -> parser.parse(msft, "AAPL"))
                .hasMessage("Yahoo chart response for AAPL describes another symbol: MSFT");
    }

    @Test
    void simulatorSpeaksTheSameFormat() {
        MarketSimulator sim = new MarketSimulator("127.0.0.1", 0, 7, 30, 10, java.util.List.of("AAPL", "NVDA"),
                java.time.Clock.systemUTC());
        java.time.Instant now = java.time.Instant.parse("2026-11-25T15:00:10Z");
        Quote aapl = parser.parse(sim.chartJson("AAPL", now), "AAPL");
        assertThat(aapl.timestamp()).isEqualTo("2026-11-25T15:00:00Z");
        assertThat(aapl.low()).isLessThanOrEqualTo(aapl.price());
        assertThat(aapl.high()).isGreaterThanOrEqualTo(aapl.price());
        // Same inputs, same prices: a restart continues the same history.
        assertThat(parser.parse(sim.chartJson("AAPL", now), "AAPL")).isEqualTo(aapl);
        // Exactly one of the two symbols is beyond 5 % at any tick.
        Quote nvda = parser.parse(sim.chartJson("NVDA", now), "NVDA");
        long beyond = java.util.stream.Stream.of(aapl, nvda)
                .filter(q -> Math.abs(q.price().doubleValue() / q.previousClose().doubleValue() - 1) > 0.05).count();
        assertThat(beyond).isEqualTo(1);
    }
}
