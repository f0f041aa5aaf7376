package dev.quotestream.report;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import java.nio.file.Path;

/**
 * The local profile's report beans: DuckDB view over the lake files, DuckDB queries, files under
 * {@code <data.dir>/reports/}. The report route (routes/report.yaml) is the same in both profiles; it calls
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
        context.getRegistry().bind("catalogRefresher", new DuckDbCatalogRefresher(duckDb, dataDir.resolve(lakePrefix)));
        context.getRegistry().bind("reportQueryRunner", settings.queryRunner(new DuckDbSqlExecutor(duckDb)));
        context.getRegistry().bind("reportRenderer", settings.renderer());
        context.getRegistry().bind("reportDelivery",
                new LocalReportDelivery(dataDir.resolve(ReportSettings.prop(context, "report.local.dir"))));
    }
}
