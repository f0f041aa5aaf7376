-- The Athena view of the raw JSON lake (docs/reports.md), which compaction reads: the crawled table `raw` (s3://<bucket>/raw/,
-- partitions dt and ticker) with the types the report SQL expects. The report route creates it when it is
-- missing (AthenaRawDataView). The casts matter: a crawl whose sample held only whole numbers (quotes are written
-- without trailing zeros, "low":208) types that column int, and the view still gives double.
-- currency and exchange_timezone: in the lake lines since the fetch side carries them (the crawler adds the
-- columns when it sees them). This is the one place the view is defined; change it here (and drop the view once: DROP VIEW raw_data).
CREATE OR REPLACE VIEW raw_data AS
SELECT symbol,
       "timestamp",
       CAST(open AS double) AS open,
       CAST(high AS double) AS high,
       CAST(low AS double) AS low,
       CAST(price AS double) AS price,
       CAST(volume AS bigint) AS volume,
       CAST(previous_close AS double) AS previous_close,
       currency,
       exchange_timezone,
       dt,
       ticker
FROM raw
