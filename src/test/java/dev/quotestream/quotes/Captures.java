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
    public static final List<String> FILES = List.of(
            "chart-AAPL-2020-01-01-to-2020-01-03.json",
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
        try (InputStream in = Captures.class.getResourceAsStream("/yahoo/captured/" + file)) {
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

    /** HAND-MADE: the capture's real meta, asked-for granularity and range, and these bars. */
    public static ObjectNode minuteBody(String file, List<Bar> bars) {
        ObjectNode body = body(file).deepCopy();
        ObjectNode meta = meta(body);
        meta.put("dataGranularity", "1m");
        meta.put("range", "1d");
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
