-- {source}: the view the report reads, curated (Parquet, the default) or raw_data (JSON): report.source.
-- One row per symbol for one trading day.
-- Parameters: 1 dt (YYYY-MM-DD), 2 and 3 symbols (comma-separated, '' = all), 4 anomaly threshold (percent).
-- Portable subset of Athena (Trino) and DuckDB SQL. The dt filter is on the partition column: only that
-- day's objects are read. Replayed duplicates of a tick are counted once (DISTINCT).
-- open, previous_close: the session's values on the last tick; high/low/volume: session-so-far figures,
-- so the day's values are their max/min/max; close: the last traded price.
WITH ticks AS (
    SELECT DISTINCT symbol, "timestamp", open, high, low, price, volume, previous_close
    FROM {source}
    WHERE dt = ?
      AND (? = '' OR strpos(',' || ? || ',', ',' || ticker || ',') > 0)
),
returns AS (
    SELECT symbol, "timestamp", open, high, low, price, volume, previous_close,
           price / LAG(price) OVER (PARTITION BY symbol ORDER BY "timestamp") - 1 AS tick_return
    FROM ticks
)
SELECT symbol,
       COUNT(*) AS ticks,
       MIN("timestamp") AS first_tick,
       MAX("timestamp") AS last_tick,
       MAX_BY(open, "timestamp") AS open,
       MAX_BY(price, "timestamp") AS close,
       MAX(high) AS high,
       MIN(low) AS low,
       MAX_BY(previous_close, "timestamp") AS previous_close,
       MAX(volume) AS volume,
       (MAX_BY(price, "timestamp") / MAX_BY(previous_close, "timestamp") - 1) * 100 AS change_percent,
       SUM(CASE WHEN ABS(price / previous_close - 1) * 100 > ? THEN 1 ELSE 0 END) AS anomalies,
       STDDEV_SAMP(tick_return) AS volatility
FROM returns
GROUP BY symbol
ORDER BY symbol
