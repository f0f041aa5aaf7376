package dev.quotestream.report;

import org.apache.camel.CamelContext;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.ZoneId;

/** The report settings both profiles share ({@code report.*} in application.properties), read once. */
public record ReportSettings(ZoneId zone, String symbols, BigDecimal thresholdPercent, int topMovers,
                             long expectedTickSeconds, double gapFactor, int chartWidth, int chartHeight) {

    public static ReportSettings from(CamelContext context) {
        return new ReportSettings(
                ZoneId.of(prop(context, "report.timezone")),
                context.getPropertiesComponent().resolveProperty("report.symbols").orElse(""),
                new BigDecimal(prop(context, "pipeline.anomaly-threshold-percent")),
                Integer.parseInt(prop(context, "report.top-movers")),
                Long.parseLong(prop(context, "report.expected-tick-seconds")),
                Double.parseDouble(prop(context, "report.gap-factor")),
                Integer.parseInt(prop(context, "report.chart-width")),
                Integer.parseInt(prop(context, "report.chart-height")));
    }

    static String prop(CamelContext context, String name) {
        return context.getPropertiesComponent().resolveProperty(name)
                .map(String::trim)
                .orElseThrow(() -> new IllegalStateException("property " + name + " is not set"));
    }

    /** The on-demand run's outcome holder, unless {@link ReportNow} bound its own. */
    public static void bindOutcome(CamelContext context) {
        if (context.getRegistry().lookupByName("reportOutcome") == null) {
            context.getRegistry().bind("reportOutcome", new ReportOutcome());
        }
    }

    public ReportRequests requests() {
        return new ReportRequests(zone, symbols, thresholdPercent, Clock.systemUTC());
    }

    public ReportQueryRunner queryRunner(SqlExecutor executor) {
        return new ReportQueryRunner(executor, topMovers, expectedTickSeconds, gapFactor);
    }

    public ReportRenderer renderer() {
        return new ReportRenderer(new ReportChart(chartWidth, chartHeight));
    }
}
