-- {source}: the view the report reads, curated (Parquet, the default) or raw_data (JSON): report.source.
-- The price series of one trading day (chart, gaps); the chart plots each price against its previous close.
-- Parameters: 1 dt (YYYY-MM-DD), 2 and 3 symbols (comma-separated, '' = all).
SELECT DISTINCT symbol, "timestamp", price, previous_close
FROM {source}
WHERE dt = ?
  AND (? = '' OR strpos(',' || ? || ',', ',' || ticker || ',') > 0)
ORDER BY symbol, "timestamp"
