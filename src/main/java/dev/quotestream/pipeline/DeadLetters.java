package dev.quotestream.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the dead-letter record (docs/data-contract.md, "Dead letters"): the rejected input and why,
 * and its key {@code dead-letter/dt=YYYY-MM-DD/<stage>/<UTC time>-<exchange id>.json}.
 */
public class DeadLetters {

    public static final String INPUT_PROPERTY = "deadLetterInput";
    public static final String KEY_HEADER = "deadLetterKey";
    private static final Logger LOG = LoggerFactory.getLogger("dead-letter");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HHmmssSSS").withZone(ZoneOffset.UTC);

    private final String prefix;

    public DeadLetters(String prefix) {
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    public Map<String, Object> describe(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String stage = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        if (stage == null) {
            stage = exchange.getFromRouteId();
        }
        String symbol = exchange.getProperty("symbol", String.class);
        if (symbol == null) {
            // The stream key: set by quote-fetch, and by the Kinesis consumer on the way in.
            symbol = exchange.getMessage().getHeader("CamelAwsKinesisPartitionKey", String.class);
        }
        Object input = exchange.getProperty(INPUT_PROPERTY);
        if (input == null) {
            input = exchange.getMessage().getBody(String.class);
        }
        Integer httpStatus = null;
        String reason = failure == null ? "unknown failure" : reason(failure);
        HttpOperationFailedException http = HttpFailures.find(failure);
        if (http != null) {
            httpStatus = http.getStatusCode();
            input = http.getResponseBody();
            String text = dev.quotestream.quotes.YahooErrorText.of(http.getResponseBody());
            reason = "HTTP " + http.getStatusCode() + " from " + http.getUri() + (text.isEmpty() ? "" : ": " + text);
        }
        Instant now = Instant.now();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("failed_at", now.toString());
        record.put("stage", stage);
        record.put("symbol", symbol);
        record.put("reason", reason);
        record.put("error_type", failure == null ? null : failure.getClass().getName());
        record.put("http_status", httpStatus);
        record.put("input", input);
        String key = prefix + "/dt=" + now.atZone(ZoneOffset.UTC).toLocalDate() + "/" + stage + "/"
                + TIME.format(now) + "-" + exchange.getExchangeId() + ".json";
        exchange.getMessage().setHeader(KEY_HEADER, key);
        LOG.warn("Dead-lettered {} input{}: {} -> {}", stage, symbol == null ? "" : " for " + symbol, reason, key);
        return record;
    }

    private static String reason(Throwable failure) {
        String message = failure.getMessage();
        String type = failure.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : message.startsWith("invalid") || message.startsWith("Yahoo")
                ? message : type + ": " + message;
    }
}
