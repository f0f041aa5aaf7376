package dev.quotestream.report;

/** The aws profile's catalog step: the Glue crawler picks up new partitions, then the {@code raw_data} view is ensured. */
public class AwsCatalogRefresher implements CatalogRefresher {

    private final GlueCatalogRefresher crawler;
    private final AthenaRawDataView view;

    public AwsCatalogRefresher(GlueCatalogRefresher crawler, AthenaRawDataView view) {
        this.crawler = crawler;
        this.view = view;
    }

    @Override
    public ReportRequest refresh(ReportRequest request) {
        crawler.refresh();
        view.ensure();
        return request;
    }
}
