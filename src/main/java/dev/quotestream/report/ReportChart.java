package dev.quotestream.report;

import dev.quotestream.report.DailyReport.SymbolSummary;
import dev.quotestream.report.DailyReport.Tick;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TimeZone;

/**
 * The day's chart, as a PNG (JFreeChart, headless): every symbol's change in % against its previous close, the same
 * baseline as the table's Change column, so a line ends where the table's figure is. Where ticks are further apart
 * than the report's gap threshold the line is broken, not drawn straight across the gap.
 */
public class ReportChart {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private final int width;
    private final int height;

    public ReportChart(int width, int height) {
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException("chart size " + width + "x" + height + " is below 100x100");
        }
        this.width = width;
        this.height = height;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** (price / previous close - 1) x 100: what the chart plots, the table's change % formula. */
    public static double changePercent(double price, double previousClose) {
        return (price / previousClose - 1) * 100;
    }

    /**
     * One symbol's line: a point per tick, and an empty point (null) 1 ms after the last tick before each gap, which
     * the line renderer does not connect across.
     */
    public static TimeSeries series(String symbol, List<Tick> ticks, Duration gapThreshold) {
        TimeSeries series = new TimeSeries(symbol);
        Instant previous = null;
        for (Tick tick : ticks) {
            Instant at = Instant.parse(tick.timestamp());
            if (previous != null && Duration.between(previous, at).compareTo(gapThreshold) > 0) {
                series.addOrUpdate(new FixedMillisecond(previous.toEpochMilli() + 1), null);
            }
            series.addOrUpdate(new FixedMillisecond(at.toEpochMilli()), changePercent(tick.price(), tick.previousClose()));
            previous = at;
        }
        return series;
    }

    public byte[] render(DailyReport report) {
        TimeSeriesCollection dataset = new TimeSeriesCollection();
        for (SymbolSummary summary : report.symbols()) {
            dataset.addSeries(series(summary.symbol(), report.ticks().getOrDefault(summary.symbol(), List.of()),
                    report.gapThreshold()));
        }
        JFreeChart chart = ChartFactory.createTimeSeriesChart(
                "Change vs previous close (" + report.date() + ", UTC; gaps over " + report.gapThreshold().toSeconds()
                        + " s left blank)", "Time (UTC)", "Change vs previous close (%)", dataset,
                report.symbols().size() <= 20, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((DateAxis) plot.getDomainAxis()).setTimeZone(TimeZone.getTimeZone("UTC"));
        plot.addRangeMarker(new ValueMarker(0, Color.GRAY, new BasicStroke(1f)));
        for (int i = 0; i < dataset.getSeriesCount(); i++) {
            plot.getRenderer().setSeriesStroke(i, new BasicStroke(1.5f));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
