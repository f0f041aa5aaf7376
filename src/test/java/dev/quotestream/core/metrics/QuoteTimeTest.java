package dev.quotestream.core.metrics;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The quick reading of the contract's timestamps and the trading-day span cache agree with java.time everywhere. */
class QuoteTimeTest {

    private static final List<String> ZONES = List.of("America/New_York", "Europe/London", "Asia/Tokyo",
            "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo", "UTC", "Pacific/Chatham");

    @Test
    void canonicalTimestampsReadLikeTheIsoParserAndEverythingElseIsLeftToIt() {
        Random random = new Random(11);
        long from = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2040-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)));
            assertThat(Quote.canonicalEpochSecond(t.toString())).isEqualTo(t.getEpochSecond());
        }
        for (String other : List.of("2026-02-30T10:00:00Z", "2026-02-29T10:00:00Z", "2026-09-21T24:00:00Z",
                "2026-09-21T23:60:00Z", "2026-09-21T23:59:60Z", "2026-09-21T14:13:20.5Z", "2026-09-21T14:13:20+00:00",
                "2026-09-21 14:13:20Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "+2026-09-21T14:13:2Z",
                "2026-9-21T14:13:20Z", "２026-09-21T14:13:20Z", "")) {
            assertThat(Quote.canonicalEpochSecond(other)).as(other).isEqualTo(Quote.NOT_CANONICAL);
        }
        assertThat(Quote.canonicalEpochSecond("2024-02-29T23:59:59Z"))
                .isEqualTo(Instant.parse("2024-02-29T23:59:59Z").getEpochSecond());
    }

    @Test
    void theTradingDayIsTheZonesLocalDateAcrossDstChangesAndInterleavedDays() {
        Random random = new Random(5);
        // Around DST changes (2026: US Mar 8 / Nov 1, EU Mar 29 / Oct 25, Sydney Apr 5 / Oct 4), hopping between
        // zones and days, so that the cached span of each zone is hit, missed and replaced.
        List<Instant> anchors = List.of(Instant.parse("2026-03-08T07:00:00Z"), Instant.parse("2026-11-01T06:00:00Z"),
                Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-10-25T01:00:00Z"),
                Instant.parse("2026-04-04T16:00:00Z"), Instant.parse("2026-10-03T16:00:00Z"),
                Instant.parse("2026-09-21T14:13:20Z"));
        for (int i = 0; i < 200_000; i++) {
            Instant anchor = anchors.get(random.nextInt(anchors.size()));
            Instant t = anchor.plusSeconds(random.nextInt(4 * 86_400) - 2 * 86_400);
            String zone = ZONES.get(random.nextInt(ZONES.size()));
            String expected = t.atZone(ZoneId.of(zone)).toLocalDate().toString();
            assertThat(Quote.tradingDay(t.toString(), zone)).as(t + " in " + zone).isEqualTo(expected);
        }
        // Not in the canonical form: the ISO parser decides, as before.
        assertThat(Quote.tradingDay("2026-09-21T23:30:00.250Z", "Asia/Tokyo")).isEqualTo("2026-09-22");
    }
}
