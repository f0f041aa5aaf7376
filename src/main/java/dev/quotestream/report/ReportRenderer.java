package dev.quotestream.report;

import dev.quotestream.report.DailyReport.Anomaly;
import dev.quotestream.report.DailyReport.Freshness;
import dev.quotestream.report.DailyReport.Gap;
import dev.quotestream.report.DailyReport.SymbolSummary;

import java.util.Base64;
import java.util.Locale;

/** Renders a {@link DailyReport} as a plain-text summary, an HTML page with the chart, and the chart PNG. */
public class ReportRenderer {

    /** Says which baseline each figure uses (the table's Change and the chart share one). */
    static final String BASELINE = "Change (table and chart): price vs the previous close; "
            + "open/close/high/low are the session's. The chart leaves gaps blank.";

    private final ReportChart chart;

    public ReportRenderer(ReportChart chart) {
        this.chart = chart;
    }

    public RenderedReport render(DailyReport report) {
        byte[] png = chart.render(report);
        return new RenderedReport(report, subject(report), text(report), html(report, png), png);
    }

    static String subject(DailyReport r) {
        return "Stock report " + r.date() + ": " + r.symbols().size() + " symbols, " + r.anomalies().size()
                + " anomalies";
    }

    static String price(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static String percent(double v) {
        return String.format(Locale.ROOT, "%+.2f%%", v);
    }

    static String volatility(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f%%", v * 100);
    }

    public static String text(DailyReport r) {
        StringBuilder b = new StringBuilder();
        b.append("Stock report for ").append(r.date()).append(" (UTC trading day), generated ")
                .append(r.generatedAt()).append('\n');
        b.append("Anomaly: |price / previous close - 1| > ").append(r.thresholdPercent().toPlainString())
                .append("%. Gap: more than ").append(r.gapThreshold().toSeconds()).append(" s between ticks.\n");
        b.append(BASELINE).append('\n');
        if (!r.requestedSymbols().isEmpty()) {
            b.append("Symbols: ").append(String.join(",", r.requestedSymbols())).append('\n');
        }
        b.append('\n');
        if (r.isEmpty()) {
            b.append("No quotes in the lake for ").append(r.date()).append(".\n");
            return b.toString();
        }
        b.append(String.format(Locale.ROOT, "%-10s %12s %12s %12s %12s %9s %15s %6s %12s%n", "SYMBOL", "OPEN",
                "CLOSE", "HIGH", "LOW", "CHANGE", "VOLUME", "ANOM", "VOLATILITY"));
        for (SymbolSummary s : r.symbols()) {
            b.append(String.format(Locale.ROOT, "%-10s %12s %12s %12s %12s %9s %15d %6d %12s%n", s.symbol(),
                    price(s.open()), price(s.close()), price(s.high()), price(s.low()), percent(s.changePercent()),
                    s.volume(), s.anomalies(), volatility(s.volatility())));
        }
        b.append("\nTop movers (change vs previous close):\n");
        int rank = 1;
        for (SymbolSummary s : r.topMovers()) {
            b.append(String.format(Locale.ROOT, "  %d. %-10s %9s  %s -> %s%n", rank++, s.symbol(),
                    percent(s.changePercent()), price(s.previousClose()), price(s.close())));
        }
        b.append("\nAnomalies (").append(r.anomalies().size()).append("):\n");
        if (r.anomalies().isEmpty()) {
            b.append("  none\n");
        }
        for (Anomaly a : r.anomalies()) {
            b.append(String.format(Locale.ROOT, "  %s %-10s %12s %9s%n", a.timestamp(), a.symbol(), price(a.price()),
                    percent(a.changePercent())));
        }
        b.append("\nData freshness (last tick; lag behind the day's latest tick):\n");
        for (Freshness f : r.freshness()) {
            b.append(String.format(Locale.ROOT, "  %-10s %s  lag %d s%n", f.symbol(), f.lastTick(), f.lagSeconds()));
        }
        b.append("\nGaps (").append(r.gaps().size()).append("):\n");
        if (r.gaps().isEmpty()) {
            b.append("  none\n");
        }
        for (Gap g : r.gaps()) {
            b.append(String.format(Locale.ROOT, "  %-10s %s -> %s  %d s%n", g.symbol(), g.from(), g.to(), g.seconds()));
        }
        return b.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public static String html(DailyReport r, byte[] png) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(subject(r))).append("</title>\n<style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
                        + "td:first-child,th:first-child{text-align:left}.up{color:#070}.down{color:#a00}</style>"
                        + "</head><body>\n");
        b.append("<h1>Stock report ").append(r.date()).append("</h1>\n<p>UTC trading day; generated ")
                .append(r.generatedAt()).append(". Anomaly: |price / previous close - 1| &gt; ")
                .append(r.thresholdPercent().toPlainString()).append("%. Gap: more than ")
                .append(r.gapThreshold().toSeconds()).append(" s between ticks. ").append(BASELINE).append("</p>\n");
        if (r.isEmpty()) {
            b.append("<p>No quotes in the lake for ").append(r.date()).append(".</p>\n</body></html>\n");
            return b.toString();
        }
        b.append("<img id=\"chart\" alt=\"Change vs previous close (%), gaps left blank\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        b.append("<h2>Symbols</h2>\n<table id=\"symbols\"><tr><th>Symbol</th><th>Open</th><th>Close</th><th>High</th>"
                + "<th>Low</th><th>Change</th><th>Volume</th><th>Anomalies</th><th>Volatility</th><th>Ticks</th></tr>\n");
        for (SymbolSummary s : r.symbols()) {
            b.append("<tr><td>").append(esc(s.symbol())).append("</td><td>").append(price(s.open()))
                    .append("</td><td>").append(price(s.close())).append("</td><td>").append(price(s.high()))
                    .append("</td><td>").append(price(s.low())).append("</td><td class=\"")
                    .append(s.changePercent() >= 0 ? "up" : "down").append("\">").append(percent(s.changePercent()))
                    .append("</td><td>").append(s.volume()).append("</td><td>").append(s.anomalies())
                    .append("</td><td>").append(volatility(s.volatility())).append("</td><td>").append(s.ticks())
                    .append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Top movers</h2>\n<ol id=\"movers\">\n");
        for (SymbolSummary s : r.topMovers()) {
            b.append("<li>").append(esc(s.symbol())).append(' ').append(percent(s.changePercent())).append(" (")
                    .append(price(s.previousClose())).append(" &rarr; ").append(price(s.close())).append(")</li>\n");
        }
        b.append("</ol>\n<h2>Anomalies (").append(r.anomalies().size()).append(")</h2>\n<table id=\"anomalies\">"
                + "<tr><th>Time (UTC)</th><th>Symbol</th><th>Price</th><th>Previous close</th><th>Change</th></tr>\n");
        for (Anomaly a : r.anomalies()) {
            b.append("<tr><td>").append(esc(a.timestamp())).append("</td><td>").append(esc(a.symbol()))
                    .append("</td><td>").append(price(a.price())).append("</td><td>").append(price(a.previousClose()))
                    .append("</td><td>").append(percent(a.changePercent())).append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Data freshness</h2>\n<table id=\"freshness\"><tr><th>Symbol</th><th>Last tick</th>"
                + "<th>Lag behind latest (s)</th></tr>\n");
        for (Freshness f : r.freshness()) {
            b.append("<tr><td>").append(esc(f.symbol())).append("</td><td>").append(esc(f.lastTick()))
                    .append("</td><td>").append(f.lagSeconds()).append("</td></tr>\n");
        }
        b.append("</table>\n<h2>Gaps (").append(r.gaps().size()).append(")</h2>\n<table id=\"gaps\"><tr>"
                + "<th>Symbol</th><th>From</th><th>To</th><th>Seconds</th></tr>\n");
        for (Gap g : r.gaps()) {
            b.append("<tr><td>").append(esc(g.symbol())).append("</td><td>").append(esc(g.from())).append("</td><td>")
                    .append(esc(g.to())).append("</td><td>").append(g.seconds()).append("</td></tr>\n");
        }
        b.append("</table>\n</body></html>\n");
        return b.toString();
    }
}
