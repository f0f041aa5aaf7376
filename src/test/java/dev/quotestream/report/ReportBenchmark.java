package dev.quotestream.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Not a test: times the local (DuckDB) daily report over one month of synthetic data, from the raw JSON lake and from
 * the curated Parquet lake (compaction included), runs alternating, and shows what each query reads.
 * <pre>
 * mvn -q test-compile exec:java@report-benchmark [-Dbench.dir=target/report-benchmark] [-Dbench.symbols=50]
 *     [-Dbench.month=2026-11] [-Dbench.day=2026-11-25] [-Dbench.tick-seconds=30] [-Dbench.ticks-per-object=60]
 *     [-Dbench.runs=5]
 * </pre>
 * Bytes read: the process's {@code rchar} (/proc/self/io, bytes returned by read syscalls) around each query, and the
 * total size of the files DuckDB reports scanning ({@code EXPLAIN ANALYZE}: "Scanning Files: n/N"). DuckDB's own
 * {@code total_bytes_read} profiling metric stays 0 for read_json, so it is not used.
 */
public final class ReportBenchmark {

    private ReportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("bench.dir", "target/report-benchmark")).toAbsolutePath();
        int symbolCount = Integer.getInteger("bench.symbols", 50);
        YearMonth month = YearMonth.parse(System.getProperty("bench.month", "2026-11"));
        LocalDate day = LocalDate.parse(System.getProperty("bench.day", "2026-11-25"));
        int tickSeconds = Integer.getInteger("bench.tick-seconds", 30);
        int ticksPerObject = Integer.getInteger("bench.ticks-per-object", 60);
        List<String> out = new ArrayList<>();

        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = month.atDay(1); !d.isAfter(month.atEndOfMonth()); d = d.plusDays(1)) {
            if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
                days.add(d);
            }
        }
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < symbolCount; i++) {
            symbols.add(String.format("SYM%02d", i));
        }
        Path marker = dir.resolve("generated-" + symbolCount + "-" + month + "-" + tickSeconds + "-" + ticksPerObject);
        if (!Files.exists(marker)) {
            deleteRecursively(dir);
            long t = System.nanoTime();
            new SyntheticLake(dir, 42, tickSeconds, ticksPerObject).plain().write(days, symbols);
            Files.createFile(marker);
            out.add(String.format(Locale.ROOT, "Generated the lake in %.1f s", seconds(t)));
        }
        long[] all = filesAndBytes(dir.resolve("raw"), null);
        long[] oneDay = filesAndBytes(dir.resolve("raw"), "dt=" + day);
        long quotes = (long) days.size() * symbolCount * (long) (6.5 * 3600 / tickSeconds);
        out.add(String.format(Locale.ROOT, "Lake: %d trading days (%s), %d symbols, %d-s ticks = %,d quotes; %,d objects, %,d bytes"
                + " (%d ticks per object)", days.size(), month, symbolCount, tickSeconds, quotes, all[0], all[1], ticksPerObject));
        out.add(String.format(Locale.ROOT, "Partition dt=%s: %,d objects, %,d bytes", day, oneDay[0], oneDay[1]));

        DuckDbLake duckDb = new DuckDbLake();
        DuckDbCatalogRefresher refresher = new DuckDbCatalogRefresher(duckDb, dir.resolve("raw"), dir.resolve("curated"));
        DuckDbLakeCompactor compactor = new DuckDbLakeCompactor(duckDb, refresher);
        DuckDbSqlExecutor sql = new DuckDbSqlExecutor(duckDb);
        Map<ReportSource, ReportQueryRunner> runners = Map.of(
                ReportSource.RAW, new ReportQueryRunner(sql, 5, tickSeconds, 3, ReportSource.RAW),
                ReportSource.CURATED, new ReportQueryRunner(sql, 5, tickSeconds, 3, ReportSource.CURATED));
        ReportRenderer renderer = new ReportRenderer(new ReportChart(1200, 700));
        LocalReportDelivery delivery = new LocalReportDelivery(dir.resolve("reports"));
        ReportRequests requests = new ReportRequests(ZoneId.of("America/New_York"), "", new BigDecimal("5"), Clock.systemUTC());
        int runs = Integer.getInteger("bench.runs", 5);
        // The steady state: every earlier day already compacted by its own report (here: a backfill of the month).
        refresher.refresh();
        long backfill = System.nanoTime();
        for (LocalDate d : days) {
            compactor.compact(d);
        }
        out.add(String.format(Locale.ROOT, "Compacted the %d days into Parquet (backfill) in %.1f s", days.size(),
                seconds(backfill)));

        out.add("");
        out.add("Load average before the runs: " + loadAverage());
        out.add("");
        out.add("| run | source | catalog refresh | compaction | queries | render (PNG+HTML) | deliver (files) | total | rchar during the queries |");
        out.add("|---|---|---|---|---|---|---|---|---|");
        Map<ReportSource, List<double[]>> results = new java.util.EnumMap<>(ReportSource.class);
        for (int run = 1; run <= runs; run++) {
            // alternate which source goes first: A B, B A, A B, ...
            List<ReportSource> order = run % 2 == 1 ? List.of(ReportSource.RAW, ReportSource.CURATED)
                    : List.of(ReportSource.CURATED, ReportSource.RAW);
            for (ReportSource source : order) {
                long t0 = System.nanoTime();
                refresher.refresh();
                long t1 = System.nanoTime();
                if (source == ReportSource.CURATED) {
                    compactor.compact(day);
                }
                long t2 = System.nanoTime();
                long r0 = rchar();
                DailyReport report = runners.get(source).run(requests.create(day.toString()));
                long r1 = rchar();
                long t3 = System.nanoTime();
                RenderedReport rendered = renderer.render(report);
                long t4 = System.nanoTime();
                delivery.deliver(rendered);
                long t5 = System.nanoTime();
                double[] r = {(t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t5 - t4) / 1e9,
                        (t5 - t0) / 1e9, r1 - r0};
                results.computeIfAbsent(source, k -> new ArrayList<>()).add(r);
                out.add(String.format(Locale.ROOT, "| %d | %s | %.2f s | %s | %.2f s | %.2f s | %.2f s | %.2f s | %,d bytes |",
                        run, source == ReportSource.RAW ? "JSON" : "Parquet", r[0],
                        source == ReportSource.RAW ? "-" : String.format(Locale.ROOT, "%.2f s", r[1]), r[2], r[3], r[4],
                        r[5], (long) r[6]));
                if (run == 1 && source == ReportSource.CURATED) {
                    out.add(0, String.format(Locale.ROOT, "Report %s: %d symbols, %d anomalies, %d gaps", day,
                            report.symbols().size(), report.anomalies().size(), report.gaps().size()));
                }
            }
        }
        out.add("");
        out.add("Load average after the runs: " + loadAverage());
        out.add("");
        out.add("| source | queries: min / median / max | whole report: min / median / max | rchar during the queries: min / median / max |");
        out.add("|---|---|---|---|");
        for (ReportSource source : List.of(ReportSource.RAW, ReportSource.CURATED)) {
            List<double[]> r = results.get(source);
            out.add(String.format(Locale.ROOT, "| %s | %s | %s | %s |", source == ReportSource.RAW ? "JSON" : "Parquet",
                    stats(r, 2, "%.2f s"), stats(r, 5, "%.2f s"), stats(r, 6, "%,.0f")));
        }
        long[] curatedDay = filesAndBytes(dir.resolve("curated"), "dt=" + day, ".parquet");
        long[] curatedAll = filesAndBytes(dir.resolve("curated"), null, ".parquet");
        out.add("");
        out.add(String.format(Locale.ROOT, "Curated partition dt=%s: %,d Parquet files, %,d bytes (JSON: %,d objects, %,d bytes)",
                day, curatedDay[0], curatedDay[1], oneDay[0], oneDay[1]));

        out.add("");
        out.add("| query | source | files scanned (EXPLAIN ANALYZE) | bytes of those files | rchar | time |");
        out.add("|---|---|---|---|---|---|");
        for (ReportSource source : List.of(ReportSource.RAW, ReportSource.CURATED)) {
            for (String query : List.of(SqlLibrary.DAILY_SUMMARY, SqlLibrary.DAILY_ANOMALIES, SqlLibrary.DAILY_TICKS,
                    SqlLibrary.AVG_PRICE_BY_SYMBOL)) {
                if (query.equals(SqlLibrary.AVG_PRICE_BY_SYMBOL) && source == ReportSource.CURATED) {
                    continue; // the example query names raw_data; it runs unchanged there
                }
                List<Object> params = switch (query) {
                    case SqlLibrary.DAILY_TICKS -> List.of(day.toString(), "", "");
                    case SqlLibrary.AVG_PRICE_BY_SYMBOL -> List.of();
                    default -> List.of(day.toString(), "", "", 5.0);
                };
                long[] dayFiles = source == ReportSource.RAW ? oneDay : curatedDay;
                long[] allFiles = source == ReportSource.RAW ? all : curatedAll;
                long r0 = rchar();
                long t = System.nanoTime();
                String plan = explainAnalyze(duckDb, SqlLibrary.report(query, source), params);
                double elapsed = seconds(t);
                long read = rchar() - r0;
                // With a partition filter DuckDB prints "Scanning Files: n/N"; without, only "Total Files Read: N".
                Matcher m = Pattern.compile("Scanning Files:[\\s\u2502]*(\\d+)/(\\d+)").matcher(plan);
                Matcher total = Pattern.compile("Total Files Read:[\\s\u2502]*(\\d+)").matcher(plan);
                long filesRead = m.find() ? Long.parseLong(m.group(1)) : total.find() ? Long.parseLong(total.group(1)) : -1;
                long bytes;
                if (filesRead == dayFiles[0]) {
                    bytes = dayFiles[1];
                } else if (filesRead == allFiles[0]) {
                    bytes = allFiles[1];
                } else {
                    throw new IllegalStateException(query + " read " + filesRead + " files; plan:\n" + plan);
                }
                out.add(String.format(Locale.ROOT, "| %s | %s | %d/%d | %,d | %,d bytes | %.2f s |", query,
                        source == ReportSource.RAW ? "JSON" : "Parquet", filesRead, allFiles[0], bytes, read, elapsed));
            }
        }
        duckDb.stop();
        String text = String.join("\n", out) + "\n";
        Files.writeString(dir.resolve("results.md"), text);
        System.out.println(text);
    }

    static String stats(List<double[]> runs, int index, String format) {
        double[] v = runs.stream().mapToDouble(r -> r[index]).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(Locale.ROOT, format, v[0]) + " / " + String.format(Locale.ROOT, format, median) + " / "
                + String.format(Locale.ROOT, format, v[v.length - 1]);
    }

    static String loadAverage() throws IOException {
        Path load = Path.of("/proc/loadavg");
        return Files.isReadable(load) ? Files.readString(load).trim() : "n/a";
    }

    static String explainAnalyze(DuckDbLake duckDb, String sql, List<Object> params) throws Exception {
        try (PreparedStatement ps = duckDb.connection().prepareStatement("EXPLAIN ANALYZE " + sql)) {
            for (int i = 0; i < params.size(); i++) {
                DuckDbSqlExecutor.bind(ps, i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                StringBuilder b = new StringBuilder();
                while (rs.next()) {
                    b.append(rs.getString(2));
                }
                return b.toString();
            }
        }
    }

    static long rchar() throws IOException {
        Path io = Path.of("/proc/self/io");
        if (!Files.isReadable(io)) {
            return 0;
        }
        for (String line : Files.readAllLines(io)) {
            if (line.startsWith("rchar:")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        return 0;
    }

    static long[] filesAndBytes(Path root, String partition) throws IOException {
        return filesAndBytes(root, partition, ".json");
    }

    static long[] filesAndBytes(Path root, String partition, String extension) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            long[] acc = new long[2];
            files.filter(p -> p.toString().endsWith(extension))
                    .filter(p -> partition == null || p.toString().contains("/" + partition + "/"))
                    .forEach(p -> {
                        acc[0]++;
                        try {
                            acc[1] += Files.size(p);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            return acc;
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
