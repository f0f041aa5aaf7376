package dev.quotestream.report;

import org.apache.camel.CamelContext;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Properties;

/** The report settings both profiles share ({@code report.*} in application.properties), read once. */
public record ReportSettings(ZoneId zone, String symbols, BigDecimal thresholdPercent, int topMovers,
                             long expectedTickSeconds, double gapFactor, int chartWidth, int chartHeight,
                             String subject, int maxListItems, ReportSource source) {

    public static ReportSettings from(CamelContext context) {
        return new ReportSettings(
                ZoneId.of(prop(context, "report.timezone")),
                optional(context, "report.symbols", ""),
                new BigDecimal(prop(context, "pipeline.anomaly-threshold-percent")),
                Integer.parseInt(prop(context, "report.top-movers")),
                Long.parseLong(prop(context, "report.expected-tick-seconds")),
                Double.parseDouble(prop(context, "report.gap-factor")),
                Integer.parseInt(prop(context, "report.chart-width")),
                Integer.parseInt(prop(context, "report.chart-height")),
                optional(context, "report.mail.subject", ReportRenderer.DEFAULT_SUBJECT),
                Integer.parseInt(optional(context, "report.message.max-list-items", "50")),
                ReportSource.of(optional(context, "report.source", "curated")));
    }

    static String prop(CamelContext context, String name) {
        return context.getPropertiesComponent().resolveProperty(name)
                .map(String::trim)
                .orElseThrow(() -> new IllegalStateException("property " + name + " is not set"));
    }

    /** The property, trimmed; blank or missing = the fallback. */
    static String optional(CamelContext context, String name, String fallback) {
        return context.getPropertiesComponent().resolveProperty(name).map(String::trim).filter(s -> !s.isEmpty())
                .orElse(fallback);
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
        return new ReportQueryRunner(executor, topMovers, expectedTickSeconds, gapFactor, source);
    }

    public ReportRenderer renderer() {
        return new ReportRenderer(new ReportChart(chartWidth, chartHeight), subject);
    }

    /** The report e-mail's sender and recipients ({@code report.mail.from}, {@code report.mail.to}); null when no recipient. */
    public ReportMail mail(CamelContext context) {
        String to = optional(context, "report.mail.to", "");
        if (to.isEmpty()) {
            return null;
        }
        return new ReportMail(optional(context, "report.mail.from", ""), to, maxListItems,
                Long.parseLong(optional(context, "report.mail.max-bytes", "10000000")));
    }

    /**
     * The SMTP channel (camel-mail) when {@code report.mail.host} is set, else null. Credentials go in as RAW()
     * values; {@code report.mail.starttls} upgrades the connection when the server offers it.
     */
    public MailChannel smtp(CamelContext context) {
        String host = optional(context, "report.mail.host", "");
        if (host.isEmpty()) {
            return null;
        }
        ReportMail mail = mail(context);
        if (mail == null) {
            throw new IllegalArgumentException("report.mail.host is set (" + host + ") but report.mail.to is blank");
        }
        String protocol = optional(context, "report.mail.protocol", "smtp");
        if (!protocol.equals("smtp") && !protocol.equals("smtps")) {
            throw new IllegalArgumentException("report.mail.protocol must be smtp or smtps: " + protocol);
        }
        Properties javaMail = new Properties();
        javaMail.setProperty("mail." + protocol + ".starttls.enable", optional(context, "report.mail.starttls", "true"));
        context.getRegistry().bind("reportMailProperties", javaMail);
        StringBuilder uri = new StringBuilder(protocol).append("://").append(host).append(':')
                .append(optional(context, "report.mail.port", "587"))
                .append("?additionalJavaMailProperties=#reportMailProperties")
                .append("&connectionTimeout=").append(optional(context, "report.mail.timeout-ms", "30000"));
        String username = optional(context, "report.mail.username", "");
        if (!username.isEmpty()) {
            uri.append("&username=RAW(").append(username).append(")&password=RAW(")
                    .append(optional(context, "report.mail.password", "")).append(')');
        }
        return new MailChannel(context, uri.toString(), "SMTP " + host, mail);
    }
}
