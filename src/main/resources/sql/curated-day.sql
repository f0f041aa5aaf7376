-- One trading day of the raw lake as the curated (Parquet) lake stores it: one row per (symbol, timestamp).
-- Both engines: DuckDB reads {raw} = the day's lines loaded once, Athena {raw} = the view raw_data; the result goes
-- to curated/dt=.../ticker=... (LakeCompactor). ticker is the symbol itself; only the path escapes it.
-- Parameters: 1 dt (YYYY-MM-DD), 2 and 3 symbols (comma-separated, '' = all; Athena writes at most 100 partitions
-- per INSERT, so a day with more symbols is compacted in batches).
-- A quote can be in the raw lake twice: delivery is at least once, and the same market time fetched again (after a
-- restart) can carry later session figures. The copy kept has the most session volume (the latest figures), then
-- the ordering of the other values decides, so every run keeps the same row.
SELECT symbol, "timestamp", open, high, low, price, volume, previous_close, currency, exchange_timezone,
       dt, symbol AS ticker
FROM (
    SELECT symbol, "timestamp", open, high, low, price, volume, previous_close, currency, exchange_timezone, dt,
           row_number() OVER (PARTITION BY symbol, "timestamp"
                              ORDER BY volume DESC, high DESC, low ASC, price DESC, open DESC, previous_close DESC,
                                       currency ASC NULLS LAST, exchange_timezone ASC NULLS LAST) AS copy_rank
    FROM {raw}
    WHERE dt = ?
      AND (? = '' OR strpos(',' || ? || ',', ',' || symbol || ',') > 0)
) ranked
WHERE copy_rank = 1
