package dev.quotestream.report;

import dev.quotestream.report.DailyReport.SymbolSummary;
import dev.quotestream.report.DailyReport.Tick;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.TimeZone;

/** The day's chart: every symbol's price normalised to 100 at the session open, as a PNG (JFreeChart, headless). */
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

    /** 100 x price / open: the normalised value the chart plots. */
    public static double normalised(double price, double open) {
        return 100.0 * price / open;
    }

    public byte[] render(DailyReport report) {
        TimeSeriesCollection dataset = new TimeSeriesCollection();
        for (SymbolSummary summary : report.symbols()) {
            List<Tick> ticks = report.ticks().getOrDefault(summary.symbol(), List.of());
            TimeSeries series = new TimeSeries(summary.symbol());
            for (Tick tick : ticks) {
                series.addOrUpdate(new FixedMillisecond(Instant.parse(tick.timestamp()).toEpochMilli()),
                        normalised(tick.price(), summary.open()));
            }
            dataset.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createTimeSeriesChart(
                "Price, open = 100 (" + report.date() + ", UTC)", "Time (UTC)", "Price (open = 100)", dataset,
                report.symbols().size() <= 20, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((DateAxis) plot.getDomainAxis()).setTimeZone(TimeZone.getTimeZone("UTC"));
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
