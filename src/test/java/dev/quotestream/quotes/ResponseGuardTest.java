package dev.quotestream.quotes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quotestream.core.metrics.InvalidQuoteException;
import dev.quotestream.core.metrics.Quote;
import dev.quotestream.quotes.Captures.Bar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The response guard against real captures (src/test/resources/yahoo/captured) and hand-made bodies built on
 * their real meta. Expected quotes are computed here from the body, independently of the parser.
 */
class ResponseGuardTest {

    /** After every capture was taken (the latest: BTC-USD, 2026-10-03T08:17:14Z). */
    static final Instant NOW = Instant.parse("2026-10-03T09:00:00Z");
    private final YahooChartParser parser = new YahooChartParser(Clock.fixed(NOW, ZoneOffset.UTC));

    static List<String> captures() {
        return Captures.FILES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void everyRealCaptureIsRejectedBecauseItIsADailyAnswer(String file) {
        ObjectNode body = Captures.body(file);
        String symbol = Captures.meta(body).path("symbol").asText();
        assertThatThrownBy(() -> parser.parse(Captures.text(body), symbol))
                .isInstanceOf(InvalidQuoteException.class)
                .hasMessage("Yahoo chart response for " + symbol + " fails the 'request' check: dataGranularity "
                        + "is '1d', requested 1m");
    }

    /** The evidence for the meta-vs-bars rule (docs/data-contract.md): meta's day range holds meta's price. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void metaDayFiguresDescribeTheSessionOfRegularMarketTimeWhileTheBarsMayNot(String file) {
        JsonNode meta = Captures.meta(Captures.body(file));
        double price = meta.path("regularMarketPrice").asDouble();
        if (meta.has("regularMarketDayHigh")) {
            assertThat(price).isBetween(meta.path("regularMarketDayLow").asDouble(),
                    meta.path("regularMarketDayHigh").asDouble());
        } else {
            assertThat(meta.path("instrumentType").asText()).isEqualTo("MUTUALFUND"); // funds: no day figures
        }
        // Every capture's bars are from another day than regularMarketTime (requested with period1/period2).
        ZoneId zone = ZoneId.of(meta.path("exchangeTimezoneName").asText());
        String day = Instant.ofEpochSecond(meta.path("regularMarketTime").asLong()).atZone(zone).toLocalDate().toString();
        for (JsonNode t : Captures.body(file).at("/chart/result/0/timestamp")) {
            assertThat(Instant.ofEpochSecond(t.asLong()).atZone(zone).toLocalDate().toString()).isNotEqualTo(day);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void aMinuteAnswerOnEachCapturesRealMetaGivesTheSessionsQuote(String file) {
        ObjectNode body = Captures.sessionBody(file);
        String symbol = Captures.meta(body).path("symbol").asText();
        assertThat(parser.parse(Captures.text(body), symbol)).isEqualTo(Captures.expected(body));
    }

    @Test
    void theTradingDayIsTheExchangesLocalDate() {
        ObjectNode btc = Captures.sessionBody("chart-BTC-USD-2020-01-01-to-2020-01-03.json");
        Quote q = parser.parse(Captures.text(btc), "BTC-USD");
        assertThat(Quote.tradingDay(q.timestamp(), q.exchangeTimezone())).isEqualTo("2026-10-03");
        // Tokyo at 00:30 UTC is already the next day there; New York at 03:00 UTC is still the day before.
        assertThat(Quote.tradingDay("2026-11-25T00:30:00Z", "Asia/Tokyo")).isEqualTo("2026-11-25");
        assertThat(Quote.tradingDay("2026-11-24T23:30:00Z", "Asia/Tokyo")).isEqualTo("2026-11-25");
        assertThat(Quote.tradingDay("2026-11-25T03:00:00Z", "America/New_York")).isEqualTo("2026-11-24");
        assertThat(Quote.tradingDay("2026-11-24T23:30:00Z", "Australia/Sydney")).isEqualTo("2026-11-25");
    }

    // ---- hand-made bodies for what no capture shows ----

    private static final String OCDO = "chart-OCDO.L-2020-01-01-to-2020-01-03.json";

    private ObjectNode ocdo(List<Bar> bars) {
        return Captures.minuteBody(OCDO, bars);
    }

    private static long ocdoStart() {
        return Captures.meta(Captures.body(OCDO)).at("/currentTradingPeriod/regular/start").asLong();
    }

    @Test
    void barsOfAnotherDayAreRejectedNotAggregated() {
        long yesterday = ocdoStart() - 86_400;
        ObjectNode body = ocdo(List.of(new Bar(yesterday, 1279.5, 1286.57, 1258.0, 1259.5, 728_520L)));
        assertThatThrownBy(() -> parser.parse(Captures.text(body), "OCDO.L"))
                .hasMessage("Yahoo chart response for OCDO.L fails the 'session' check: none of the 1 bars is from "
                        + "the session of regularMarketTime 2026-10-02T15:35:19Z (2026-10-02 Europe/London)");
    }

    @Test
    void metaNewerThanTheBarsAndOlderThanTheBarsAreBothRejected() {
        // meta newer: Yahoo's meta has moved to a new session, the bars are still the previous one's.
        long previousSession = ocdoStart() - 3 * 86_400;
        ObjectNode newer = ocdo(List.of(new Bar(previousSession, 262.0, 263.0, 261.0, 262.5, 10L)));
        assertThatThrownBy(() -> parser.parse(Captures.text(newer), "OCDO.L")).hasMessageContaining("'session' check");
        // meta older: the bars are from a later day than regularMarketTime.
        ObjectNode older = ocdo(List.of(new Bar(ocdoStart() + 86_400, 262.0, 263.0, 261.0, 262.5, 10L)));
        assertThatThrownBy(() -> parser.parse(Captures.text(older), "OCDO.L")).hasMessageContaining("'session' check");
    }

    @Test
    void onlyTheSessionsBarsCountWhenTheAnswerMixesDays() {
        long start = ocdoStart();
        ObjectNode body = ocdo(List.of(
                new Bar(start - 86_400, 1279.5, 1286.57, 1258.0, 1259.5, 728_520L),   // yesterday: ignored
                new Bar(start, 261.0, 262.0, 260.0, 261.5, 5_000L)));
        Quote q = parser.parse(Captures.text(body), "OCDO.L");
        assertThat(q).isEqualTo(dev.quotestream.core.metrics.TestQuotes.quote("OCDO.L", "2026-10-02T15:35:19Z", 261.0, 268.5, 259.2, 260.4, 3_585_488L,
                258.4, "GBp", "Europe/London"));
    }

    @Test
    void aPriceOutsideTheDaysRangeIsRejected() {
        ObjectNode body = ocdo(List.of(new Bar(ocdoStart(), 261.0, 262.0, 260.0, 261.5, 5_000L)));
        Captures.meta(body).put("regularMarketPrice", 300.0);
        assertThatThrownBy(() -> parser.parse(Captures.text(body), "OCDO.L"))
                .hasMessage("Yahoo chart response for OCDO.L fails the 'range' check: price 300 is outside the "
                        + "session's range [259.2, 268.5]");
    }

    @Test
    void anOpenOutsideTheDaysRangeIsRejected() {
        ObjectNode body = ocdo(List.of(new Bar(ocdoStart(), 1279.5, 1286.57, 1258.0, 1259.5, 728_520L)));
        assertThatThrownBy(() -> parser.parse(Captures.text(body), "OCDO.L"))
                .hasMessageContaining("fails the 'range' check: open 1279.5");
    }

    @Test
    void aOneDayGranularityAnswerToAMinuteRequestIsRejected() {
        ObjectNode body = ocdo(List.of(new Bar(ocdoStart(), 261.0, 262.0, 260.0, 261.5, 5_000L)));
        Captures.meta(body).put("dataGranularity", "1d");
        assertThatThrownBy(() -> parser.parse(Captures.text(body), "OCDO.L"))
                .hasMessage("Yahoo chart response for OCDO.L fails the 'request' check: dataGranularity is '1d', "
                        + "requested 1m");
        Captures.meta(body).put("dataGranularity", "1m");
        Captures.meta(body).put("range", "5d");
        assertThatThrownBy(() -> parser.parse(Captures.text(body), "OCDO.L"))
                .hasMessage("Yahoo chart response for OCDO.L fails the 'request' check: range is '5d', requested 1d");
    }

    @Test
    void marketTimesInMillisecondsInTheFutureOrBefore2000AreRejected() {
        ObjectNode body = ocdo(List.of(new Bar(ocdoStart(), 261.0, 262.0, 260.0, 261.5, 5_000L)));
        Captures.meta(body).put("regularMarketTime", 1_790_955_319_000L);
        assertThatThrownBy(() -> parser.parse(Captures.text(body), "OCDO.L"))
                .hasMessageContaining("'time' check: meta.regularMarketTime 1790955319000 is in milliseconds");
        Captures.meta(body).put("regularMarketTime", NOW.getEpochSecond() + 3600);
        assertThatThrownBy(() -> parser.parse(Captures.text(body), "OCDO.L"))
                .hasMessageContaining("'time' check: meta.regularMarketTime 2026-10-03T10:00:00Z is in the future");
        Captures.meta(body).put("regularMarketTime", 900_000_000L);
        assertThatThrownBy(() -> parser.parse(Captures.text(body), "OCDO.L"))
                .hasMessageContaining("'time' check: meta.regularMarketTime 1998-07-09T16:00:00Z is before 2000");
        Captures.meta(body).put("regularMarketTime", "1790955319");
        assertThatThrownBy(() -> parser.parse(Captures.text(body), "OCDO.L"))
                .hasMessageContaining("'time' check: meta.regularMarketTime \"1790955319\" is not a whole number");
    }

    @Test
    void numbersMustBeNumbersAndIntegersMustFit() {
        List<String> reasons = new ArrayList<>();
        String base = Captures.text(ocdo(List.of(new Bar(ocdoStart(), 261.0, 262.0, 260.0, 261.5, 5_000L))));
        String[][] cases = {
                {"\"regularMarketPrice\":260.4", "\"regularMarketPrice\":\"260.4\""},
                {"\"regularMarketVolume\":3585488", "\"regularMarketVolume\":18446744073709551621"},
                {"\"regularMarketVolume\":3585488", "\"regularMarketVolume\":1e19"},
                {"\"regularMarketVolume\":3585488", "\"regularMarketVolume\":-2"},
                {"\"volume\":[5000]", "\"volume\":[-5000]"},
                {"\"volume\":[5000]", "\"volume\":[50.5]"},
                {"\"high\":[262.0]", "\"high\":[259.0]"},
                {"\"open\":[261.0]", "\"open\":[\"261.0\"]"},
        };
        for (String[] c : cases) {
            assertThat(base).contains(c[0]);
            try {
                parser.parse(base.replace(c[0], c[1]), "OCDO.L");
                reasons.add("ACCEPTED " + c[1]);
            } catch (InvalidQuoteException e) {
                reasons.add(e.getMessage().replace("Yahoo chart response for OCDO.L fails the 'numbers' check: ", ""));
            }
        }
        assertThat(reasons).containsExactly(
                "meta.regularMarketPrice is not a number (\"260.4\")",
                "meta.regularMarketVolume 18446744073709551621 does not fit a 64-bit integer",
                "meta.regularMarketVolume 10000000000000000000 does not fit a 64-bit integer",
                "meta.regularMarketVolume is negative (-2)",
                "bar 0 volume is negative (-5000)",
                "bar 0 volume is not a whole number (50.5)",
                "bar 0 high 259.0 is below its low 260.0",
                "bar 0 open is not a number (\"261.0\")");
    }

}
