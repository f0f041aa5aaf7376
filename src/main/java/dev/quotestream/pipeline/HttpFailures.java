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

    /** A client error other than 429: retrying cannot help (unknown symbol, bad request, forbidden). */
    public static boolean isFinal(Exchange exchange) {
        HttpOperationFailedException http = find(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        if (http == null) {
            http = find(exchange.getException());
        }
        return http != null && http.getStatusCode() < 500 && http.getStatusCode() != 429;
    }
}
