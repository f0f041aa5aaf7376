-- Athena only: the curated lake's table, Parquet under {location} (s3://<bucket>/curated/), partitioned like the raw
-- lake. The report route creates it when Glue has no table `curated` (AthenaLakeCompactor); INSERT INTO adds the
-- partitions. Columns: the contract's quote (docs/data-contract.md), typed as the view raw_data gives them.
-- This is the one definition of the table; after a change, drop it once (DROP TABLE curated: the data stays).
CREATE EXTERNAL TABLE IF NOT EXISTS curated (
    symbol string,
    `timestamp` string,
    open double,
    high double,
    low double,
    price double,
    volume bigint,
    previous_close double,
    currency string,
    exchange_timezone string)
PARTITIONED BY (dt string, ticker string)
STORED AS PARQUET
LOCATION '{location}'
TBLPROPERTIES ('parquet.compression' = 'ZSTD')
