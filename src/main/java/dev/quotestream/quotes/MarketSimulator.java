package dev.quotestream.quotes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An offline stand-in for Yahoo's chart API, served on loopback in Yahoo's JSON format, so that the
 * fetch route is byte-for-byte the one used against Yahoo.
 *
 * <p>Prices are a pure function of (seed, symbol, UTC day, tick): a restart reproduces the same history and
 * carries on at the wall clock. Each symbol follows a small mean-reverting walk around its previous close
 * (never beyond ±1.5 %). Time is cut into windows of {@code jumpWindowTicks}; in each window one symbol, in
 * turn, trades 7-9 % away from its previous close. Every window therefore brings exactly one threshold
 * crossing, and one symbol is always beyond 5 %, so the first fetch already shows an alert.
 * The simulated market trades around the clock, one tick every {@code tickSeconds}.
 */
public class MarketSimulator {

    private static final Logger LOG = LoggerFactory.getLogger(MarketSimulator.class);
    private static final Pattern CHART_PATH = Pattern.compile("/v8/finance/chart/([^/?]+)");
    private static final double WALK_LIMIT = 0.015;

    private final String host;
    private final int port;
    private final long seed;
    private final int tickSeconds;
    private final int jumpWindowTicks;
    private final List<String> symbols;
    private final Clock clock;
    private HttpServer server;

    public MarketSimulator(String host, int port, long seed, int tickSeconds, int jumpWindowTicks,
                           List<String> symbols, Clock clock) {
        if (tickSeconds <= 0 || 86_400 % tickSeconds != 0) {
            throw new IllegalArgumentException("simulator tick must divide a day, was " + tickSeconds + " s");
        }
        this.host = host;
        this.port = port;
        this.seed = seed;
        this.tickSeconds = tickSeconds;
        this.jumpWindowTicks = jumpWindowTicks;
        this.symbols = List.copyOf(symbols);
        this.clock = clock;
    }

    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 0);
        server.createContext("/v8/finance/chart/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "market-simulator");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        LOG.info("Market simulator serving Yahoo chart JSON on http://{}:{} for {}", host, port(), symbols);
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public int port() {
        return server == null ? port : server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher m = CHART_PATH.matcher(exchange.getRequestURI().getPath());
            String symbol = m.matches() ? m.group(1).toUpperCase(Locale.ROOT) : "";
            if (!symbols.contains(symbol)) {
                respond(exchange, 404, "{\"chart\":{\"result\":null,\"error\":{\"code\":\"Not Found\","
                        + "\"description\":\"No data found, symbol may be delisted\"}}}");
                return;
            }
            respond(exchange, 200, chartJson(symbol, clock.instant()));
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The chart response for the UTC day of {@code now}, up to and including the current tick. */
    public String chartJson(String symbol, Instant now) {
        LocalDate day = now.atZone(ZoneOffset.UTC).toLocalDate();
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        int currentTick = (int) ((now.getEpochSecond() - dayStart) / tickSeconds);
        SplittableRandom random = new SplittableRandom(seed * 31 + symbol.hashCode() * 1_000_003L + day.toEpochDay());
        double previousClose = round(basePrice(symbol) * (1 + (random.nextDouble() - 0.5) * 0.04));
        int symbolIndex = symbols.indexOf(symbol);

        int ticksPerBar = Math.max(1, 60 / tickSeconds);
        StringBuilder ts = new StringBuilder();
        StringBuilder open = new StringBuilder();
        StringBuilder high = new StringBuilder();
        StringBuilder low = new StringBuilder();
        StringBuilder close = new StringBuilder();
        StringBuilder volume = new StringBuilder();
        double walk = 0;
        double price = previousClose;
        double barOpen = 0;
        double barHigh = 0;
        double barLow = 0;
        long barVolume = 0;
        double dayHigh = 0;
        double dayLow = Double.MAX_VALUE;
        long dayVolume = 0;
        for (int tick = 0; tick <= currentTick; tick++) {
            walk = Math.max(-WALK_LIMIT, Math.min(WALK_LIMIT, 0.9 * walk + random.nextGaussian() * 0.004));
            double jumpMagnitude = 0.07 + random.nextDouble() * 0.02;
            boolean jumpDown = random.nextBoolean();
            long tickVolume = 1_000 + random.nextInt(50_000);
            boolean nullBar = random.nextInt(200) == 0; // Yahoo leaves gaps as nulls now and then
            int window = tick / jumpWindowTicks;
            double jump = symbolIndex >= 0 && window % symbols.size() == symbolIndex
                    ? (jumpDown ? -1 : 1) * jumpMagnitude : 0;
            // Keep one jump direction per window, so the price does not flip sides mid-crossing.
            if (jump != 0) {
                SplittableRandom windowRandom = new SplittableRandom(seed + window * 7919L + symbolIndex);
                jump = (windowRandom.nextBoolean() ? -1 : 1) * jumpMagnitude;
            }
            price = round(previousClose * (1 + walk + jump));
            dayHigh = Math.max(dayHigh, price);
            dayLow = Math.min(dayLow, price);
            dayVolume += tickVolume;
            if (tick % ticksPerBar == 0) {
                barOpen = price;
                barHigh = price;
                barLow = price;
                barVolume = 0;
            }
            barHigh = Math.max(barHigh, price);
            barLow = Math.min(barLow, price);
            barVolume += tickVolume;
            boolean barEnds = tick % ticksPerBar == ticksPerBar - 1 || tick == currentTick;
            if (barEnds) {
                long barTime = dayStart + (long) (tick - tick % ticksPerBar) * tickSeconds;
                separate(ts, open, high, low, close, volume);
                ts.append(barTime);
                if (nullBar && tick != currentTick) {
                    open.append("null");
                    high.append("null");
                    low.append("null");
                    close.append("null");
                    volume.append("null");
                } else {
                    open.append(barOpen);
                    high.append(barHigh);
                    low.append(barLow);
                    close.append(price);
                    volume.append(barVolume);
                }
            }
        }
        long marketTime = dayStart + (long) currentTick * tickSeconds;
        return "{\"chart\":{\"result\":[{\"meta\":{\"currency\":\"USD\",\"symbol\":\"" + symbol + "\","
                + "\"exchangeName\":\"SIM\",\"instrumentType\":\"EQUITY\",\"regularMarketTime\":" + marketTime + ","
                + "\"gmtoffset\":0,\"timezone\":\"UTC\",\"exchangeTimezoneName\":\"Etc/UTC\","
                + "\"regularMarketPrice\":" + price + ",\"chartPreviousClose\":" + previousClose + ","
                + "\"previousClose\":" + previousClose + ",\"regularMarketDayHigh\":" + dayHigh + ","
                + "\"regularMarketDayLow\":" + dayLow + ",\"regularMarketVolume\":" + dayVolume + ","
                + "\"dataGranularity\":\"1m\",\"range\":\"1d\"},"
                + "\"timestamp\":[" + ts + "],\"indicators\":{\"quote\":[{\"open\":[" + open + "],\"high\":["
                + high + "],\"low\":[" + low + "],\"close\":[" + close + "],\"volume\":[" + volume + "]}]}}],"
                + "\"error\":null}}";
    }

    private static void separate(StringBuilder... builders) {
        if (builders[0].length() > 0) {
            for (StringBuilder b : builders) {
                b.append(',');
            }
        }
    }

    private static double basePrice(String symbol) {
        return switch (symbol) {
            case "AAPL" -> 230.0;
            case "GOOGL" -> 175.0;
            case "MSFT" -> 420.0;
            case "AMZN" -> 200.0;
            case "NVDA" -> 140.0;
            default -> 50 + Math.floorMod(symbol.hashCode(), 400);
        };
    }

    private static double round(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
    }
}
