package dev.quotestream.report;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import java.nio.file.Path;

/**
 * The local profile's report beans: DuckDB views over the lake files, DuckDB compaction into Parquet, DuckDB
 * queries, files under {@code <data.dir>/reports/} and, with {@code report.mail.host} set, an SMTP e-mail. The report route (routes/report.yaml) is the same in both profiles; it calls
 * these beans through the {@code report.*-uri} endpoints.
 */
public class LocalReportBindings implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        ReportSettings settings = ReportSettings.from(context);
        Path dataDir = Path.of(ReportSettings.prop(context, "data.dir"));
        String lakePrefix = ReportSettings.prop(context, "lake.prefix");

        DuckDbLake duckDb = new DuckDbLake();
        context.addService(duckDb, true, true);
        context.getRegistry().bind("reportDuckDb", duckDb);
        ReportSettings.bindOutcome(context);
        context.getRegistry().bind("reportRequests", settings.requests());
        DuckDbCatalogRefresher catalog = new DuckDbCatalogRefresher(duckDb, dataDir.resolve(lakePrefix),
                dataDir.resolve(ReportSettings.prop(context, "lake.curated-prefix")));
        context.getRegistry().bind("catalogRefresher", catalog);
        context.getRegistry().bind("lakeCompactor", new DuckDbLakeCompactor(duckDb, catalog));
        context.getRegistry().bind("reportQueryRunner", settings.queryRunner(new DuckDbSqlExecutor(duckDb)));
        context.getRegistry().bind("reportRenderer", settings.renderer());
        MailChannel smtp = settings.smtp(context);
        if (smtp == null && settings.mail(context) != null) {
            throw new IllegalArgumentException("report.mail.to is set but report.mail.host is blank: locally the report"
                    + " is e-mailed over SMTP only (set report.mail.host, or clear report.mail.to for files only)");
        }
        context.getRegistry().bind("reportDelivery",
                new LocalReportDelivery(dataDir.resolve(ReportSettings.prop(context, "report.local.dir")), smtp));
    }
}
