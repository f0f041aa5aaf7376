package dev.quotestream.report;

/** Step 1 of the report: make the lake's latest objects and partitions queryable as {@code raw_data}. */
public interface CatalogRefresher {

    /** Refreshes the catalog and returns the request unchanged, for the next step. */
    ReportRequest refresh(ReportRequest request);
}
