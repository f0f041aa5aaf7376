-- {source}: the view the report reads, curated (Parquet, the default) or raw_data (JSON): report.source.
-- Every tick of one trading day whose price is more than the threshold away from the previous close.
-- Parameters: 1 dt (YYYY-MM-DD), 2 and 3 symbols (comma-separated, '' = all), 4 anomaly threshold (percent).
SELECT DISTINCT symbol, "timestamp", price, previous_close,
       (price / previous_close - 1) * 100 AS change_percent
FROM {source}
WHERE dt = ?
  AND (? = '' OR strpos(',' || ? || ',', ',' || ticker || ',') > 0)
  AND ABS(price / previous_close - 1) * 100 > ?
ORDER BY "timestamp", symbol
