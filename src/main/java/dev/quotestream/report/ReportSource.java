package dev.quotestream.report;

/**
 * What the report queries read: {@link #CURATED}, the Parquet lake the report compacts each day into (default), or
 * {@link #RAW}, the JSON lake as the pipeline writes it ({@code report.source}). Both have the same columns; the
 * report SQL names the view through {@code {source}}.
 */
public enum ReportSource {
    CURATED("curated"),
    RAW("raw_data");

    private final String view;

    ReportSource(String view) {
        this.view = view;
    }

    /** The table or view name in both engines (DuckDB view, Athena table or view). */
    public String view() {
        return view;
    }

    public static ReportSource of(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "curated", "parquet" -> CURATED;
            case "raw", "json", "raw_data" -> RAW;
            default -> throw new IllegalArgumentException("report.source must be curated or raw: " + name);
        };
    }
}
