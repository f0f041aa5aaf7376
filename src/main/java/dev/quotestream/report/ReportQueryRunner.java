package dev.quotestream.report;

import dev.quotestream.report.DailyReport.Anomaly;
import dev.quotestream.report.DailyReport.Freshness;
import dev.quotestream.report.DailyReport.Gap;
import dev.quotestream.report.DailyReport.SymbolSummary;
import dev.quotestream.report.DailyReport.Tick;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the report queries (sql/*.sql) on the profile's engine and assembles the {@link DailyReport}.
 * The SQL computes the per-symbol figures and the anomalies; this class derives the top movers, the
 * freshness and the gaps from the query results.
 */
public class ReportQueryRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ReportQueryRunner.class);

    private final SqlExecutor executor;
    private final int topMovers;
    private final Duration gapThreshold;
    private final ReportSource source;

    /**
     * @param expectedTickSeconds the fetch period: ticks are expected this far apart
     * @param gapFactor           a gap is an interval between consecutive ticks longer than factor x period
     */
    /** @param source the view the queries read: the curated Parquet lake, or the raw JSON lake */
    public ReportQueryRunner(SqlExecutor executor, int topMovers, long expectedTickSeconds, double gapFactor,
                             ReportSource source) {
        this.source = source;
        this.executor = executor;
        this.topMovers = topMovers;
        this.gapThreshold = Duration.ofMillis(Math.round(expectedTickSeconds * 1000 * gapFactor));
    }

    public DailyReport run(ReportRequest request) {
        long started = System.nanoTime();
        List<Object> dayAndSymbols = List.of(request.date(), request.symbolsParameter(), request.symbolsParameter());
        List<Object> withThreshold = new ArrayList<>(dayAndSymbols);
        withThreshold.add(request.thresholdPercent());

        QueryResult summary = executor.query(SqlLibrary.report(SqlLibrary.DAILY_SUMMARY, source), withThreshold);
        QueryResult anomalyRows = executor.query(SqlLibrary.report(SqlLibrary.DAILY_ANOMALIES, source), withThreshold);
        QueryResult tickRows = executor.query(SqlLibrary.report(SqlLibrary.DAILY_TICKS, source), dayAndSymbols);

        List<SymbolSummary> symbols = new ArrayList<>();
        for (int i = 0; i < summary.size(); i++) {
            symbols.add(new SymbolSummary(summary.get(i, "symbol"), summary.getLong(i, "ticks"),
                    summary.get(i, "first_tick"), summary.get(i, "last_tick"), summary.getDouble(i, "open"),
                    summary.getDouble(i, "close"), summary.getDouble(i, "high"), summary.getDouble(i, "low"),
                    summary.getDouble(i, "previous_close"), summary.getLong(i, "volume"),
                    summary.getDouble(i, "change_percent"), summary.getLong(i, "anomalies"),
                    summary.getNullableDouble(i, "volatility")));
        }
        symbols.sort(Comparator.comparing(SymbolSummary::symbol));

        List<SymbolSummary> movers = symbols.stream()
                .sorted(Comparator.comparingDouble((SymbolSummary s) -> Math.abs(s.changePercent())).reversed()
                        .thenComparing(SymbolSummary::symbol))
                .limit(topMovers)
                .toList();

        List<Anomaly> anomalies = new ArrayList<>();
        for (int i = 0; i < anomalyRows.size(); i++) {
            anomalies.add(new Anomaly(anomalyRows.get(i, "symbol"), anomalyRows.get(i, "timestamp"),
                    anomalyRows.getDouble(i, "price"), anomalyRows.getDouble(i, "previous_close"),
                    anomalyRows.getDouble(i, "change_percent")));
        }
        anomalies.sort(Comparator.comparing(Anomaly::timestamp).thenComparing(Anomaly::symbol));

        Map<String, List<Tick>> ticks = new LinkedHashMap<>();
        for (int i = 0; i < tickRows.size(); i++) {
            ticks.computeIfAbsent(tickRows.get(i, "symbol"), s -> new ArrayList<>())
                    .add(new Tick(tickRows.get(i, "timestamp"), tickRows.getDouble(i, "price"),
                            tickRows.getDouble(i, "previous_close")));
        }
        ticks.values().forEach(list -> list.sort(Comparator.comparing(Tick::timestamp)));

        List<Gap> gaps = new ArrayList<>();
        for (Map.Entry<String, List<Tick>> e : ticks.entrySet()) {
            List<Tick> series = e.getValue();
            for (int i = 1; i < series.size(); i++) {
                Instant from = Instant.parse(series.get(i - 1).timestamp());
                Instant to = Instant.parse(series.get(i).timestamp());
                Duration between = Duration.between(from, to);
                if (between.compareTo(gapThreshold) > 0) {
                    gaps.add(new Gap(e.getKey(), series.get(i - 1).timestamp(), series.get(i).timestamp(),
                            between.toSeconds()));
                }
            }
        }

        Instant latest = symbols.stream().map(s -> Instant.parse(s.lastTick())).max(Comparator.naturalOrder())
                .orElse(null);
        List<Freshness> freshness = symbols.stream()
                .map(s -> new Freshness(s.symbol(), s.lastTick(),
                        Duration.between(Instant.parse(s.lastTick()), latest).toSeconds()))
                .toList();

        LOG.info("Report queries for {} on {}: {} symbols, {} anomalies, {} ticks, {} gaps in {} ms", request.date(), source.view(),
                symbols.size(), anomalies.size(), tickRows.size(), gaps.size(),
                (System.nanoTime() - started) / 1_000_000);
        return new DailyReport(request.date(), request.requestedAt(), request.thresholdPercent(), request.symbols(),
                List.copyOf(symbols), movers, List.copyOf(anomalies), freshness, gapThreshold, List.copyOf(gaps),
                ticks);
    }
}
