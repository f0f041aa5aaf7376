package dev.quotestream.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of the route/Lambda parity golden file (src/test/resources/parity/) that both sides compare the same way:
 * the alerts as published (subject, message attributes, message) and the dead letters (key and record). Only what
 * differs by nature is replaced: when it failed, and the stream's own sequence numbers and arrival day (kinesis-local
 * numbers its records, the Lambda fixture has Kinesis's).
 */
public final class ParityGolden {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ParityGolden() {
    }

    /** Each Publish request: its subject, its message attributes (name to type and value) and its message. */
    public static List<Map<String, Object>> alerts(List<LoggedRequest> publishes) {
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (LoggedRequest r : publishes) {
            Map<String, String> form = form(r.getBodyAsString());
            if (!"Publish".equals(form.get("Action"))) {
                continue;
            }
            Map<String, Object> alert = new TreeMap<>();
            alert.put("subject", form.get("Subject"));
            alert.put("message", form.get("Message"));
            Map<String, String> attributes = new TreeMap<>();
            for (int i = 1; form.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
                String p = "MessageAttributes.entry." + i;
                attributes.put(form.get(p + ".Name"), form.get(p + ".Value.DataType") + ":" + form.get(p + ".Value.StringValue"));
            }
            alert.put("attributes", attributes);
            alerts.add(alert);
        }
        alerts.sort(Comparator.comparing(a -> (String) a.get("message")));
        return alerts;
    }

    /** Dead letters by key, records without {@code failed_at}; sequence numbers and the arrival day as placeholders. */
    public static Map<String, Object> deadLetters(Map<String, String> objectsByKey) {
        Map<String, Object> out = new TreeMap<>();
        objectsByKey.forEach((key, content) -> {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> record = new LinkedHashMap<>(JSON.readValue(content, Map.class));
                record.remove("failed_at");
                String normalized = key.replaceFirst("/dt=\\d{4}-\\d{2}-\\d{2}/", "/dt=<day>/");
                Object sequence = record.get("sequence_number");
                if (sequence != null) {
                    normalized = normalized.replace(sequence.toString(), "<sequence>");
                    record.put("sequence_number", "<sequence>");
                }
                out.put(normalized, record);
            } catch (JsonProcessingException e) {
                throw new AssertionError("dead letter " + key + " is not JSON: " + content, e);
            }
        });
        return out;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }
}
