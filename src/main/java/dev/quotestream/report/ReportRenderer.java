package dev.quotestream.report;

import dev.quotestream.report.DailyReport.SymbolSummary;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Renders a {@link DailyReport} as a plain-text summary, an HTML page with the chart, and the chart PNG.
 * <p>
 * The files and the stored HTML are the full report. A message (e-mail, SNS) is the same text or HTML with every
 * list cut after {@link Cut#items()} entries and a line "… N more, see the full report" in its place
 * ({@link MessageCaps} picks the cut that fits the channel).
 */
public class ReportRenderer {

    /** Says which baseline each figure uses (the table's Change and the chart share one). */
    static final String BASELINE = "Change (table and chart): price vs the previous close; "
            + "open/close/high/low are the session's. The chart leaves gaps blank.";
    /** The default subject: {date}, {symbols} and {anomalies} are replaced. */
    public static final String DEFAULT_SUBJECT = "Stock report {date}: {symbols} symbols, {anomalies} anomalies";

    /**
     * Where lists stop: at most {@code items} entries each (symbols, top movers, anomalies, freshness, gaps); the rest
     * is replaced by "… N more, see the full report" and, when known, the full report's address.
     */
    public record Cut(int items, String fullReport) {
        public static final Cut NONE = new Cut(Integer.MAX_VALUE, null);

        public Cut {
            if (items < 0) {
                throw new IllegalArgumentException("list cut below 0: " + items);
            }
        }

        boolean keeps(int index) {
            return index < items;
        }

        int hidden(int size) {
            return Math.max(0, size - items);
        }

        String moreText(int size) {
            return "… " + hidden(size) + " more, see the full report" + (fullReport == null ? "" : ": " + fullReport);
        }
    }

    private final ReportChart chart;
    private final String subjectTemplate;

    public ReportRenderer(ReportChart chart) {
        this(chart, DEFAULT_SUBJECT);
    }

    public ReportRenderer(ReportChart chart, String subjectTemplate) {
        this.chart = chart;
        this.subjectTemplate = subjectTemplate == null || subjectTemplate.isBlank() ? DEFAULT_SUBJECT : subjectTemplate;
    }

    public RenderedReport render(DailyReport report) {
        byte[] png = chart.render(report);
        String subject = subject(subjectTemplate, report);
        return new RenderedReport(report, subject, text(report, Cut.NONE), html(report, subject,
                "data:image/png;base64," + Base64.getEncoder().encodeToString(png), Cut.NONE), png);
    }

    static String subject(DailyReport r) {
        return subject(DEFAULT_SUBJECT, r);
    }

    /** The subject from its template; one line, whatever the template holds. */
    static String subject(String template, DailyReport r) {
        return template.replace("{date}", r.date().toString())
                .replace("{symbols}", String.valueOf(r.symbols().size()))
                .replace("{anomalies}", String.valueOf(r.anomalies().size()))
                .replaceAll("[\\r\\n\\t]+", " ").trim();
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
        return text(r, Cut.NONE);
    }

    /** The plain-text summary, lists cut as {@code cut} says. */
    public static String text(DailyReport r, Cut cut) {
        StringBuilder b = new StringBuilder();
        b.append("Stock report for ").append(r.date()).append(" (each exchange's own trading day), generated ")
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
        textList(b, r.symbols(), cut, s -> String.format(Locale.ROOT, "%-10s %12s %12s %12s %12s %9s %15d %6d %12s%n",
                s.symbol(), price(s.open()), price(s.close()), price(s.high()), price(s.low()),
                percent(s.changePercent()), s.volume(), s.anomalies(), volatility(s.volatility())), "");
        b.append("\nTop movers (change vs previous close):\n");
        List<SymbolSummary> movers = r.topMovers();
        textList(b, movers, cut, s -> String.format(Locale.ROOT, "  %d. %-10s %9s  %s -> %s%n", movers.indexOf(s) + 1,
                s.symbol(), percent(s.changePercent()), price(s.previousClose()), price(s.close())), "  ");
        b.append("\nAnomalies (").append(r.anomalies().size()).append("):\n");
        if (r.anomalies().isEmpty()) {
            b.append("  none\n");
        }
        textList(b, r.anomalies(), cut, a -> String.format(Locale.ROOT, "  %s %-10s %12s %9s%n", a.timestamp(),
                a.symbol(), price(a.price()), percent(a.changePercent())), "  ");
        b.append("\nData freshness (last tick; lag behind the day's latest tick):\n");
        textList(b, r.freshness(), cut, f -> String.format(Locale.ROOT, "  %-10s %s  lag %d s%n", f.symbol(),
                f.lastTick(), f.lagSeconds()), "  ");
        b.append("\nGaps (").append(r.gaps().size()).append("):\n");
        if (r.gaps().isEmpty()) {
            b.append("  none\n");
        }
        textList(b, r.gaps(), cut, g -> String.format(Locale.ROOT, "  %-10s %s -> %s  %d s%n", g.symbol(), g.from(),
                g.to(), g.seconds()), "  ");
        return b.toString();
    }

    private static <T> void textList(StringBuilder b, List<T> items, Cut cut, Function<T, String> line, String indent) {
        for (int i = 0; i < items.size() && cut.keeps(i); i++) {
            b.append(line.apply(items.get(i)));
        }
        if (cut.hidden(items.size()) > 0) {
            b.append(indent).append(cut.moreText(items.size())).append('\n');
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public static String html(DailyReport r, byte[] png) {
        return html(r, subject(r), "data:image/png;base64," + Base64.getEncoder().encodeToString(png), Cut.NONE);
    }

    /**
     * The HTML page: the chart at {@code imageSrc} (a data: URI in the stored page, {@code cid:} in an e-mail), lists
     * cut as {@code cut} says.
     */
    public static String html(DailyReport r, String title, String imageSrc, Cut cut) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title)).append("</title>\n<style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
                        + "td:first-child,th:first-child{text-align:left}.up{color:#070}.down{color:#a00}</style>"
                        + "</head><body>\n");
        b.append("<h1>Stock report ").append(r.date()).append("</h1>\n<p>Each exchange's own trading day (dt); generated ")
                .append(r.generatedAt()).append(". Anomaly: |price / previous close - 1| &gt; ")
                .append(r.thresholdPercent().toPlainString()).append("%. Gap: more than ")
                .append(r.gapThreshold().toSeconds()).append(" s between ticks. ").append(BASELINE).append("</p>\n");
        if (r.isEmpty()) {
            b.append("<p>No quotes in the lake for ").append(r.date()).append(".</p>\n</body></html>\n");
            return b.toString();
        }
        b.append("<img id=\"chart\" alt=\"Change vs previous close (%), gaps left blank\" src=\"").append(esc(imageSrc))
                .append("\">\n");
        b.append("<h2>Symbols</h2>\n<table id=\"symbols\"><tr><th>Symbol</th><th>Open</th><th>Close</th><th>High</th>"
                + "<th>Low</th><th>Change</th><th>Volume</th><th>Anomalies</th><th>Volatility</th><th>Ticks</th></tr>\n");
        htmlList(b, r.symbols(), cut, 10, s -> b.append("<tr><td>").append(esc(s.symbol())).append("</td><td>").append(price(s.open()))
                    .append("</td><td>").append(price(s.close())).append("</td><td>").append(price(s.high()))
                    .append("</td><td>").append(price(s.low())).append("</td><td class=\"")
                    .append(s.changePercent() >= 0 ? "up" : "down").append("\">").append(percent(s.changePercent()))
                    .append("</td><td>").append(s.volume()).append("</td><td>").append(s.anomalies())
                    .append("</td><td>").append(volatility(s.volatility())).append("</td><td>").append(s.ticks())
                    .append("</td></tr>\n"));
        b.append("</table>\n<h2>Top movers</h2>\n<ol id=\"movers\">\n");
        for (int i = 0; i < r.topMovers().size() && cut.keeps(i); i++) {
            SymbolSummary s = r.topMovers().get(i);
            b.append("<li>").append(esc(s.symbol())).append(' ').append(percent(s.changePercent())).append(" (")
                    .append(price(s.previousClose())).append(" &rarr; ").append(price(s.close())).append(")</li>\n");
        }
        if (cut.hidden(r.topMovers().size()) > 0) {
            b.append("<li class=\"more\">").append(moreHtml(cut, r.topMovers().size())).append("</li>\n");
        }
        b.append("</ol>\n<h2>Anomalies (").append(r.anomalies().size()).append(")</h2>\n<table id=\"anomalies\">"
                + "<tr><th>Time (UTC)</th><th>Symbol</th><th>Price</th><th>Previous close</th><th>Change</th></tr>\n");
        htmlList(b, r.anomalies(), cut, 5, a -> b.append("<tr><td>").append(esc(a.timestamp())).append("</td><td>").append(esc(a.symbol()))
                    .append("</td><td>").append(price(a.price())).append("</td><td>").append(price(a.previousClose()))
                    .append("</td><td>").append(percent(a.changePercent())).append("</td></tr>\n"));
        b.append("</table>\n<h2>Data freshness</h2>\n<table id=\"freshness\"><tr><th>Symbol</th><th>Last tick</th>"
                + "<th>Lag behind latest (s)</th></tr>\n");
        htmlList(b, r.freshness(), cut, 3, f -> b.append("<tr><td>").append(esc(f.symbol())).append("</td><td>").append(esc(f.lastTick()))
                    .append("</td><td>").append(f.lagSeconds()).append("</td></tr>\n"));
        b.append("</table>\n<h2>Gaps (").append(r.gaps().size()).append(")</h2>\n<table id=\"gaps\"><tr>"
                + "<th>Symbol</th><th>From</th><th>To</th><th>Seconds</th></tr>\n");
        htmlList(b, r.gaps(), cut, 4, g -> b.append("<tr><td>").append(esc(g.symbol())).append("</td><td>").append(esc(g.from())).append("</td><td>")
                    .append(esc(g.to())).append("</td><td>").append(g.seconds()).append("</td></tr>\n"));
        b.append("</table>\n</body></html>\n");
        return b.toString();
    }

    private static <T> void htmlList(StringBuilder b, List<T> items, Cut cut, int columns, Consumer<T> row) {
        for (int i = 0; i < items.size() && cut.keeps(i); i++) {
            row.accept(items.get(i));
        }
        if (cut.hidden(items.size()) > 0) {
            b.append("<tr class=\"more\"><td colspan=\"").append(columns).append("\">")
                    .append(moreHtml(cut, items.size())).append("</td></tr>\n");
        }
    }

    private static String moreHtml(Cut cut, int size) {
        String text = "… " + cut.hidden(size) + " more, see the ";
        return cut.fullReport() == null ? text + "full report"
                : text + "<a href=\"" + esc(cut.fullReport()) + "\">full report</a>";
    }
}
