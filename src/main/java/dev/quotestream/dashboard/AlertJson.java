package dev.quotestream.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.Map;

/** Parses an alert message (contract §5) as the alert sink sent it: exact decimals, attribute order kept. */
public final class AlertJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private AlertJson() {
    }

    /** The alert's attributes; rejects a body that is not an alert (no symbol, timestamp or crossing). */
    public static Map<String, Object> parse(String json) {
        Map<String, Object> alert;
        try {
            alert = read(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the alert log takes an alert message as JSON: " + e.getOriginalMessage());
        }
        if (!(alert.get("symbol") instanceof String) || !(alert.get("timestamp") instanceof String)
                || !(alert.get("crossing") instanceof Number)) {
            throw new IllegalArgumentException("an alert message needs symbol, timestamp and crossing");
        }
        Instant.parse((String) alert.get("timestamp")); // a market time, or fail here rather than in a query
        return alert;
    }

    /** An alert as stored, attribute order kept, decimals exact. */
    public static Map<String, Object> read(String json) throws JsonProcessingException {
        return JSON.readValue(json, new TypeReference<java.util.LinkedHashMap<String, Object>>() {
        });
    }

    /** Unique per alert, ordered by market time: the alert log's sort key. */
    public static String sortKey(Map<String, Object> alert) {
        return alert.get("timestamp") + "#" + alert.get("symbol") + "#" + alert.get("crossing");
    }
}
