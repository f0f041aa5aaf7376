package dev.quotestream.report;

/**
 * Step 2 of the report: compacts the report day's raw JSON partitions into the curated Parquet lake
 * ({@code curated/dt=YYYY-MM-DD/ticker=SYMBOL/}), one row per (symbol, timestamp), so the report queries (and anyone
 * else) read columns instead of whole JSON lines. Idempotent: a second run for the same day replaces the day's
 * curated files with the same rows. The raw JSON stays where it is.
 */
public interface LakeCompactor {

    /** Compacts the request's day and returns the request unchanged, for the next step. */
    ReportRequest compact(ReportRequest request);
}
