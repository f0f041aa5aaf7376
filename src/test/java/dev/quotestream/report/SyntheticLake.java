package dev.quotestream.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a synthetic lake in the contract's layout (docs/data-contract.md §4):
 * {@code raw/dt=YYYY-MM-DD/ticker=SYMBOL/part-*.json}, JSON Lines of quotes, US session 14:30-21:00 UTC.
 * Random walk per symbol with session-so-far open/high/low/volume. Optionally: a jump beyond 5 % for a few ticks
 * (anomalies), a hole in the ticks (gap), whole-number prices, and replayed duplicate lines.
 * Returns every distinct quote written, so tests can compute the expected report independently.
 */
public final class SyntheticLake {

    public record Tick(String symbol, Instant timestamp, double open, double high, double low, double price,
                       long volume, double previousClose) {
    }

    private final Path root;
    private final long seed;
    private final int tickSeconds;
    private final int ticksPerObject;
    private boolean quirks = true;

    public SyntheticLake(Path dataDir, long seed, int tickSeconds, int ticksPerObject) {
        this.root = dataDir.resolve("raw");
        this.seed = seed;
        this.tickSeconds = tickSeconds;
        this.ticksPerObject = ticksPerObject;
    }

    /** Without anomalies forced, gaps, whole numbers or duplicates: a plain random walk (benchmark). */
    public SyntheticLake plain() {
        quirks = false;
        return this;
    }

    /** Writes the days; returns the distinct quotes per day per symbol, in time order. */
    public Map<LocalDate, Map<String, List<Tick>>> write(List<LocalDate> days, List<String> symbols) throws IOException {
        Random random = new Random(seed);
        Map<String, Double> lastClose = new LinkedHashMap<>();
        for (String s : symbols) {
            lastClose.put(s, round(20 + random.nextDouble() * 480));
        }
        Map<LocalDate, Map<String, List<Tick>>> all = new LinkedHashMap<>();
        int dayIndex = 0;
        for (LocalDate day : days) {
            Map<String, List<Tick>> bySymbol = new LinkedHashMap<>();
            int symbolIndex = 0;
            for (String symbol : symbols) {
                List<Tick> ticks = session(random, day, symbol, lastClose.get(symbol), dayIndex, symbolIndex++);
                lastClose.put(symbol, ticks.get(ticks.size() - 1).price());
                bySymbol.put(symbol, ticks);
                writeObjects(day, symbol, ticks, random);
            }
            all.put(day, bySymbol);
            dayIndex++;
        }
        return all;
    }

    private List<Tick> session(Random random, LocalDate day, String symbol, double previousClose, int dayIndex,
                               int symbolIndex) {
        Instant start = day.atTime(14, 30).toInstant(ZoneOffset.UTC);
        int count = (int) ((6.5 * 3600) / tickSeconds);
        double price = round(previousClose * (1 + (random.nextDouble() - 0.5) * 0.02));
        double open = price;
        double high = price;
        double low = price;
        long volume = 0;
        boolean jumps = quirks && (symbolIndex + dayIndex) % 2 == 0;
        int jumpStart = 60 + random.nextInt(100);
        int gapStart = quirks && symbolIndex == 1 ? 200 + random.nextInt(50) : -1;
        int gapLength = 4 + random.nextInt(6);
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (gapStart >= 0 && i >= gapStart && i < gapStart + gapLength) {
                continue;
            }
            double step = random.nextGaussian() * (quirks ? 0.0015 : 0.0005);
            price = price * (1 + step);
            if (jumps && i == jumpStart) {
                price = previousClose * (1.07 + random.nextDouble() * 0.02);
            } else if (jumps && i == jumpStart + 8) {
                price = previousClose * (1.0 + random.nextDouble() * 0.01);
            }
            price = round(price);
            if (quirks && i % 97 == 13) {
                price = Math.rint(price);
            }
            high = Math.max(high, round(price * (1 + random.nextDouble() * 0.001)));
            low = Math.min(low, round(price * (1 - random.nextDouble() * 0.001)));
            volume += 1000 + random.nextInt(50_000);
            ticks.add(new Tick(symbol, start.plusSeconds((long) i * tickSeconds), open, high, low, price, volume,
                    previousClose));
        }
        return ticks;
    }

    private void writeObjects(LocalDate day, String symbol, List<Tick> ticks, Random random) throws IOException {
        Path dir = root.resolve("dt=" + day).resolve("ticker=" + DuckDbLakeCompactor.tickerDirectory(symbol));
        Files.createDirectories(dir);
        for (int from = 0, part = 0; from < ticks.size(); from += ticksPerObject, part++) {
            List<Tick> batch = new ArrayList<>(ticks.subList(from, Math.min(ticks.size(), from + ticksPerObject)));
            if (quirks && part == 1) {
                batch.add(batch.get(0)); // a replayed record: the same quote twice in the lake
            }
            String name = String.format("part-%sT%06d000Z-%08x.json", day.toString().replace("-", ""), part,
                    random.nextInt() & 0x7fffffff);
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8)) {
                for (Tick t : batch) {
                    w.write(json(t));
                    w.write('\n');
                }
            }
        }
    }

    static String json(Tick t) {
        return "{\"symbol\":\"" + t.symbol() + "\",\"timestamp\":\"" + t.timestamp() + "\",\"open\":" + num(t.open())
                + ",\"high\":" + num(t.high()) + ",\"low\":" + num(t.low()) + ",\"price\":" + num(t.price())
                + ",\"volume\":" + t.volume() + ",\"previous_close\":" + num(t.previousClose())
                + ",\"currency\":\"USD\",\"exchange_timezone\":\"America/New_York\"}";
    }

    static String num(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    static double round(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN).doubleValue();
    }
}
