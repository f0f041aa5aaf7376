package dev.quotestream.quotes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The real captures in src/test/resources/yahoo/captured (see SOURCE.md there), and hand-made 1-minute bodies
 * derived from them: the capture's real {@code meta} with {@code dataGranularity=1m, range=1d} and the bars given.
 */
public final class Captures {

    public static final ObjectMapper JSON = new ObjectMapper();
    /** Under src/test/resources/yahoo/captured, except AAPL: the project's first capture, in yahoo/ itself. */
    public static final List<String> FILES = List.of(
            "../chart-AAPL-2020-01-01-to-2020-01-03.json",
            "chart-0P000071W8.TO-2020-01-01-to-2020-01-03.json",
            "chart-GC=F-2020-01-01-to-2020-01-03.json",
            "chart-EURUSD=X-2020-01-01-to-2020-01-03.json",
            "chart-BTC-USD-2020-01-01-to-2020-01-03.json",
            "chart-OCDO.L-2020-01-01-to-2020-01-03.json",
            "chart-WSU.DE-2023-08-04-to-2023-08-09.json",
            "chart-LUCYW-null-currency.json");

    private Captures() {
    }

    /** The response body of a capture, as Yahoo sent it. */
    public static ObjectNode body(String file) {
        String path = file.startsWith("../") ? "/yahoo/" + file.substring(3) : "/yahoo/captured/" + file;
        try (InputStream in = Captures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + file);
            }
            JsonNode exchange = JSON.readTree(in);
            return (ObjectNode) exchange.at("/response/bodyJson");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode meta(ObjectNode body) {
        return (ObjectNode) body.at("/chart/result/0/meta");
    }

    /** One hand-made minute bar: epoch seconds and OHLCV (null for a gap). */
    public record Bar(long time, Double open, Double high, Double low, Double close, Long volume) {
    }

    /**
     * HAND-MADE: the capture's real meta, asked-for granularity and range, chartPreviousClose recomputed from
     * the capture's own regularMarketChangePercent, and these bars.
     */
    public static ObjectNode minuteBody(String file, List<Bar> bars) {
        ObjectNode body = body(file).deepCopy();
        ObjectNode meta = meta(body);
        meta.put("dataGranularity", "1m");
        meta.put("range", "1d");
        // With range=1d, chartPreviousClose is the previous session's close; the capture's is from 2019/2023.
        if (meta.has("regularMarketChangePercent")) {
            double price = meta.path("regularMarketPrice").asDouble();
            double pct = meta.path("regularMarketChangePercent").asDouble();
            meta.put("chartPreviousClose", java.math.BigDecimal.valueOf(price / (1 + pct / 100))
                    .setScale(4, java.math.RoundingMode.HALF_EVEN).doubleValue());
        }
        ObjectNode result = (ObjectNode) body.at("/chart/result/0");
        ArrayNode timestamps = result.putArray("timestamp");
        ObjectNode quote = JSON.createObjectNode();
        ArrayNode open = quote.putArray("open");
        ArrayNode high = quote.putArray("high");
        ArrayNode low = quote.putArray("low");
        ArrayNode close = quote.putArray("close");
        ArrayNode volume = quote.putArray("volume");
        for (Bar b : bars) {
            timestamps.add(b.time());
            add(open, b.open());
            add(high, b.high());
            add(low, b.low());
            add(close, b.close());
            if (b.volume() == null) {
                volume.addNull();
            } else {
                volume.add(b.volume());
            }
        }
        result.putObject("indicators").putArray("quote").add(quote);
        return body;
    }

    /** Three bars at the start of the session of regularMarketTime, inside meta's day range when it has one. */
    public static List<Bar> sessionBars(JsonNode meta) {
        long start = meta.at("/currentTradingPeriod/regular/start").asLong();
        double price = meta.path("regularMarketPrice").asDouble();
        double low = meta.has("regularMarketDayLow") ? meta.path("regularMarketDayLow").asDouble() : price * 0.985;
        double high = meta.has("regularMarketDayHigh") ? meta.path("regularMarketDayHigh").asDouble() : price * 1.005;
        double span = high - low;
        return List.of(
                new Bar(start, low + span * 0.25, low + span * 0.5, low + span * 0.2, low + span * 0.4, 1000L),
                new Bar(start + 60, null, null, null, null, null),
                new Bar(start + 120, low + span * 0.4, low + span * 0.75, low + span * 0.3, low + span * 0.6, 2500L));
    }

    /** HAND-MADE minute body on a capture's real meta, with {@link #sessionBars}. */
    public static ObjectNode sessionBody(String file) {
        return minuteBody(file, sessionBars(meta(body(file))));
    }

    /**
     * The quote the data contract's rule gives for a {@link #sessionBody}, computed from the body alone: open =
     * the first bar's open; high/low/volume = meta's day figures, else the bars' (with the price) and their sum.
     */
    public static dev.quotestream.core.metrics.Quote expected(JsonNode body) {
        JsonNode meta = body.at("/chart/result/0/meta");
        List<Bar> bars = sessionBars(meta);
        double price = meta.path("regularMarketPrice").asDouble();
        boolean dayFigures = meta.has("regularMarketDayHigh");
        double high = dayFigures ? meta.path("regularMarketDayHigh").asDouble()
                : Math.max(price, Math.max(bars.get(0).high(), bars.get(2).high()));
        double low = dayFigures ? meta.path("regularMarketDayLow").asDouble()
                : Math.min(price, Math.min(bars.get(0).low(), bars.get(2).low()));
        long volume = dayFigures ? meta.path("regularMarketVolume").asLong() : 1000L + 2500L;
        double previous = meta.has("previousClose") ? meta.path("previousClose").asDouble()
                : meta.path("chartPreviousClose").asDouble();
        return new dev.quotestream.core.metrics.Quote(meta.path("symbol").asText(),
                java.time.Instant.ofEpochSecond(meta.path("regularMarketTime").asLong()).toString(),
                round(bars.get(0).open()), round(high), round(low), round(price), volume, round(previous),
                meta.path("currency").isNull() ? null : meta.path("currency").asText(),
                meta.path("exchangeTimezoneName").asText());
    }

    /** Prices as the contract keeps them: a float32 bar by its shortest float32 decimal, any other double by its own. */
    public static java.math.BigDecimal round(double v) {
        java.math.BigDecimal d = (double) (float) v == v ? new java.math.BigDecimal(Float.toString((float) v))
                : java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(15));
        return dev.quotestream.core.metrics.Decimals.plain(d.setScale(Math.min(d.scale(), 12), java.math.RoundingMode.HALF_EVEN));
    }

    private static void add(ArrayNode array, Double value) {
        if (value == null) {
            array.addNull();
        } else {
            array.add(value);
        }
    }

    public static String text(JsonNode body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
