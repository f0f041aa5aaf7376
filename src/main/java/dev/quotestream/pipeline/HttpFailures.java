package dev.quotestream.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/** Classifies HTTP failures, which the circuit breaker may wrap in another exception. */
public final class HttpFailures {

    private HttpFailures() {
    }

    public static HttpOperationFailedException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http;
            }
        }
        return null;
    }

    /**
     * What says Yahoo is unwell, the only failures the circuit breaker counts: 429, 5xx, timeouts and
     * connection errors (any IOException in the cause chain). A 404 for an unknown symbol says Yahoo is fine.
     */
    public static boolean isYahooUnwell(Throwable failure) {
        HttpOperationFailedException http = find(failure);
        if (http != null) {
            return http.getStatusCode() == 429 || http.getStatusCode() >= 500;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** A failure only the symbol can fix: a final client error (404, 400, 401, 403) or a rejected answer. */
    public static boolean isSymbolFault(Throwable failure) {
        HttpOperationFailedException http = find(failure);
        if (http != null) {
            return http.getStatusCode() >= 400 && http.getStatusCode() < 500 && http.getStatusCode() != 429;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof dev.quotestream.core.metrics.InvalidQuoteException) {
                return true;
            }
        }
        return false;
    }

    /** A client error other than 429: retrying cannot help (unknown symbol, bad request, forbidden). */
    public static boolean isFinal(Exchange exchange) {
        HttpOperationFailedException http = find(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        if (http == null) {
            http = find(exchange.getException());
        }
        return http != null && http.getStatusCode() < 500 && http.getStatusCode() != 429;
    }
}
