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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Not a test: times the local (DuckDB) report over one month of synthetic data and shows partition pruning.
 * <pre>
 * mvn -q test-compile exec:java@report-benchmark [-Dbench.dir=target/report-benchmark] [-Dbench.symbols=50]
 *     [-Dbench.month=2026-11] [-Dbench.day=2026-11-25] [-Dbench.tick-seconds=30] [-Dbench.ticks-per-object=60]
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
        DuckDbCatalogRefresher refresher = new DuckDbCatalogRefresher(duckDb, dir.resolve("raw"));
        ReportQueryRunner runner = new ReportQueryRunner(new DuckDbSqlExecutor(duckDb), 5, tickSeconds, 3, ReportSource.RAW);
        ReportRenderer renderer = new ReportRenderer(new ReportChart(1200, 700));
        LocalReportDelivery delivery = new LocalReportDelivery(dir.resolve("reports"));
        ReportRequests requests = new ReportRequests(ZoneId.of("America/New_York"), "", new BigDecimal("5"), Clock.systemUTC());

        out.add("");
        out.add("| run | catalog refresh | queries | render (PNG+HTML) | deliver (files) | total | rchar during queries |");
        out.add("|---|---|---|---|---|---|---|");
        for (int run = 1; run <= 3; run++) {
            long t0 = System.nanoTime();
            refresher.refresh();
            long t1 = System.nanoTime();
            long r0 = rchar();
            DailyReport report = runner.run(requests.create(day.toString()));
            long r1 = rchar();
            long t2 = System.nanoTime();
            RenderedReport rendered = renderer.render(report);
            long t3 = System.nanoTime();
            delivery.deliver(rendered);
            long t4 = System.nanoTime();
            out.add(String.format(Locale.ROOT, "| %d | %.2f s | %.2f s | %.2f s | %.2f s | %.2f s | %,d bytes |", run,
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t4 - t0) / 1e9, r1 - r0));
            if (run == 1) {
                out.add(0, String.format(Locale.ROOT, "Report %s: %d symbols, %d anomalies, %d gaps", day,
                        report.symbols().size(), report.anomalies().size(), report.gaps().size()));
            }
        }

        out.add("");
        out.add("| query | files scanned (EXPLAIN ANALYZE) | bytes of those files | rchar | time |");
        out.add("|---|---|---|---|---|");
        for (String query : List.of(SqlLibrary.DAILY_SUMMARY, SqlLibrary.DAILY_ANOMALIES, SqlLibrary.DAILY_TICKS,
                SqlLibrary.AVG_PRICE_BY_SYMBOL)) {
            List<Object> params = switch (query) {
                case SqlLibrary.DAILY_TICKS -> List.of(day.toString(), "", "");
                case SqlLibrary.AVG_PRICE_BY_SYMBOL -> List.of();
                default -> List.of(day.toString(), "", "", 5.0);
            };
            long r0 = rchar();
            long t = System.nanoTime();
            String plan = explainAnalyze(duckDb, SqlLibrary.get(query), params);
            double elapsed = seconds(t);
            long read = rchar() - r0;
            // With a partition filter DuckDB prints "Scanning Files: n/N"; without, only "Total Files Read: N".
            Matcher m = Pattern.compile("Scanning Files:[\\s\u2502]*(\\d+)/(\\d+)").matcher(plan);
            Matcher total = Pattern.compile("Total Files Read:[\\s\u2502]*(\\d+)").matcher(plan);
            long filesRead = m.find() ? Long.parseLong(m.group(1)) : total.find() ? Long.parseLong(total.group(1)) : -1;
            String scanned = filesRead + "/" + all[0];
            long bytes;
            if (filesRead == oneDay[0]) {
                bytes = oneDay[1];
            } else if (filesRead == all[0]) {
                bytes = all[1];
            } else {
                throw new IllegalStateException(query + " read " + filesRead + " files; plan:\n" + plan);
            }
            out.add(String.format(Locale.ROOT, "| %s | %s | %,d | %,d bytes | %.2f s |", query, scanned, bytes, read,
                    elapsed));
        }
        duckDb.stop();
        String text = String.join("\n", out) + "\n";
        Files.writeString(dir.resolve("results.md"), text);
        System.out.println(text);
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
        try (Stream<Path> files = Files.walk(root)) {
            long[] acc = new long[2];
            files.filter(p -> p.toString().endsWith(".json"))
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
