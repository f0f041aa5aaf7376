-- The original design's example query; runs unchanged on Athena (Trino) and DuckDB. Full scan: no dt filter.
SELECT symbol, AVG(price) FROM raw_data GROUP BY symbol
