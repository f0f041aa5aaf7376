package dev.quotestream.report;

import dev.quotestream.report.DailyReport.Tick;
import org.jfree.data.time.TimeSeries;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The chart's line: change % vs the previous close (the table's baseline), broken where the ticks have a gap. */
class ReportChartTest {

    @Test
    void aGapBreaksTheLineAndEachPointIsTheChangeVsThePreviousClose() {
        List<Tick> ticks = List.of(
                new Tick("2026-11-25T14:30:00Z", 200.0, 200.0),
                new Tick("2026-11-25T14:30:30Z", 202.0, 200.0),
                new Tick("2026-11-25T14:35:00Z", 190.0, 200.0),   // 270 s after the previous tick: a gap
                new Tick("2026-11-25T14:35:30Z", 191.0, 200.0));
        TimeSeries series = ReportChart.series("AAPL", ticks, Duration.ofSeconds(90));

        assertThat(series.getItemCount()).isEqualTo(5);
        assertThat(series.getValue(0).doubleValue()).isCloseTo(0.0, within(1e-9));
        assertThat(series.getValue(1).doubleValue()).isCloseTo(1.0, within(1e-9));
        // the empty point right after the last tick before the gap
        assertThat(series.getTimePeriod(2).getFirstMillisecond())
                .isEqualTo(Instant.parse("2026-11-25T14:30:30Z").toEpochMilli() + 1);
        assertThat(series.getValue(2)).isNull();
        assertThat(series.getValue(3).doubleValue()).isCloseTo(-5.0, within(1e-9));
        assertThat(series.getValue(4).doubleValue()).isCloseTo(-4.5, within(1e-9));
    }

    @Test
    void ticksWithinTheThresholdAreOneLine() {
        List<Tick> ticks = List.of(new Tick("2026-11-25T14:30:00Z", 100.0, 100.0),
                new Tick("2026-11-25T14:31:30Z", 101.0, 100.0));
        TimeSeries series = ReportChart.series("MSFT", ticks, Duration.ofSeconds(90));
        assertThat(series.getItemCount()).isEqualTo(2);
        assertThat(series.getItems()).noneMatch(i -> ((org.jfree.data.time.TimeSeriesDataItem) i).getValue() == null);
    }
}
