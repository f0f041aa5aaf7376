package dev.quotestream.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured logs: one JSON object a line on stdout, which Lambda sends to the function's log group.
 * Fields: timestamp, level, logger, message, then the event's own fields (symbol, sequence_number...).
 * Query them in CloudWatch Logs Insights, e.g. {@code filter level = "WARN" | stats count() by event}.
 */
public final class JsonLog {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String logger;
    private final PrintStream out;

    public JsonLog(String logger) {
        this(logger, System.out);
    }

    public JsonLog(String logger, PrintStream out) {
        this.logger = logger;
        this.out = out;
    }

    public void info(String event, String message, Object... fields) {
        write("INFO", event, message, null, fields);
    }

    public void warn(String event, String message, Throwable error, Object... fields) {
        write("WARN", event, message, error, fields);
    }

    public void error(String event, String message, Throwable error, Object... fields) {
        write("ERROR", event, message, error, fields);
    }

    private void write(String level, String event, String message, Throwable error, Object[] fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level);
        line.put("logger", logger);
        line.put("event", event);
        line.put("message", message);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            line.put(String.valueOf(fields[i]), fields[i + 1]);
        }
        if (error != null) {
            line.put("error_type", error.getClass().getName());
            line.put("error", String.valueOf(error.getMessage()));
        }
        try {
            out.println(MAPPER.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            out.println("{\"level\":\"ERROR\",\"message\":\"log line not serializable\"}");
        }
    }
}
