package dev.quotestream.quotes;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

import dev.quotestream.core.metrics.InvalidQuoteException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a non-2xx chart answer into {@link HttpOperationFailedException} (status, Yahoo's body and headers
 * kept), after honouring a 429's {@code Retry-After} (seconds or an HTTP date): the next retry of
 * {@code yahoo-call} waits that long, capped at {@code quotes.max-retry-delay-ms}, instead of the backoff.
 */
public class YahooResponses {

    public static final String URL_PROPERTY = "yahooUrl";


    private final Clock clock;
    private final long maxRetryDelayMs;
    private final long maxBodyBytes;

    private final long deadlineMs;

    public YahooResponses(Clock clock, long maxRetryDelayMs, long maxBodyBytes, long deadlineMs) {
        this.clock = clock;
        this.maxRetryDelayMs = maxRetryDelayMs;
        this.maxBodyBytes = maxBodyBytes;
        this.deadlineMs = deadlineMs;
    }

    /**
     * A body over the limit, kept whole for its dead letter: the one dead-letter builder (core DeadLetter) stores
     * its first 64 KiB, its size and its SHA-256, as it does for every input.
     */
    public static final class OversizedResponse extends InvalidQuoteException {
        private final String body;

        public OversizedResponse(String reason, String body) {
            super(reason);
            this.body = body;
        }

        public String body() {
            return body;
        }
    }

    /** The dead letter's input: an oversized body, else what the route recorded. */
    public static Object deadLetterInput(Throwable failure, Object recorded) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OversizedResponse oversized) {
                return oversized.body();
            }
        }
        return recorded;
    }

    /** The fetch's deadline was hit: the dead letter says so (the time limiter's own message names no limit). */
    public static final class FetchDeadlineExceeded extends java.util.concurrent.TimeoutException {
        public FetchDeadlineExceeded(String message, Throwable cause) {
            super(message);
            initCause(cause);
        }
    }

    /** {@code failure} itself, or, for the time limiter's TimeoutException, a {@link FetchDeadlineExceeded}. */
    public Throwable deadline(Throwable failure, String symbol) {
        if (failure instanceof java.util.concurrent.TimeoutException && !(failure instanceof FetchDeadlineExceeded)) {
            return new FetchDeadlineExceeded("fetch of " + symbol + " exceeded its deadline of " + deadlineMs
                    + " ms (quotes.fetch-deadline-ms): no complete answer in time", failure);
        }
        return failure;
    }

    public void check(Exchange exchange) throws HttpOperationFailedException {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        byte[] bytes = exchange.getMessage().getBody(byte[].class);
        boolean oversized = bytes != null && bytes.length > maxBodyBytes;
        String body = bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        if (status != null && status >= 200 && status < 300) {
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
            if (oversized) {
                throw new OversizedResponse("Yahoo chart response for " + exchange.getProperty("symbol")
                        + " is " + bytes.length + " bytes, over quotes.max-body-bytes (" + maxBodyBytes + ")", body);
            }
            exchange.getMessage().setBody(body);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getMessage().getHeaders().forEach((k, v) -> {
            if (v != null && !k.startsWith("Camel")) {
                headers.put(k, v.toString());
            }
        });
        Long retryAfter = status != null && status == 429 ? retryAfterMs(header(headers, "Retry-After")) : null;
        if (retryAfter != null) {
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, Math.min(retryAfter, maxRetryDelayMs));
        } else {
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        }
        throw new HttpOperationFailedException(requestUri(exchange), status == null ? 0 : status,
                exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_TEXT, String.class),
                header(headers, "Location"), headers, body);
    }

    /** The chart URL as requested (property {@code yahooUrl}, set by the route before the call). */
    static String requestUri(Exchange exchange) {
        String url = exchange.getProperty(URL_PROPERTY, String.class);
        return url != null ? url : String.valueOf(exchange.getProperty(Exchange.TO_ENDPOINT));
    }

    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** Retry-After: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
    Long retryAfterMs(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds).toMillis();
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(clock.instant(), at.toInstant()).toMillis());
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
