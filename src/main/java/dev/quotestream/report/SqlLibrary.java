package dev.quotestream.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The report queries, one file per query in {@code src/main/resources/sql/}. Comment lines are dropped. */
public final class SqlLibrary {

    public static final String AVG_PRICE_BY_SYMBOL = "avg-price-by-symbol";
    public static final String DAILY_SUMMARY = "daily-summary";
    public static final String DAILY_ANOMALIES = "daily-anomalies";
    public static final String DAILY_TICKS = "daily-ticks";
    /** Athena only: the DDL of the view {@code raw_data} over the crawled table (see {@link AthenaRawDataView}). */
    public static final String RAW_DATA_VIEW = "raw-data-view";
    /** One day of the raw lake, deduplicated, as the curated lake stores it (both engines; {@code {raw}} is the input). */
    public static final String CURATED_DAY = "curated-day";
    /** Athena only: the DDL of the curated Parquet table ({@code {location}}). */
    public static final String CURATED_TABLE = "curated-table";

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private SqlLibrary() {
    }

    public static String get(String name) {
        return CACHE.computeIfAbsent(name, SqlLibrary::load);
    }

    /** A report query reading {@code source}: its {@code {source}} placeholder replaced by the view's name. */
    public static String report(String name, ReportSource source) {
        return get(name).replace("{source}", source.view());
    }

    private static String load(String name) {
        String resource = "/sql/" + name + ".sql";
        try (InputStream in = SqlLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no query " + resource + " on the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines()
                    .filter(line -> !line.trim().startsWith("--"))
                    .collect(Collectors.joining("\n"))
                    .trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
