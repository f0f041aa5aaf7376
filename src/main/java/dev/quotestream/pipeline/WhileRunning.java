package dev.quotestream.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

import java.util.concurrent.RejectedExecutionException;

/**
 * Retries and records go on only while the application runs. As the errorHandler's {@code retryWhileRef}, it retries a
 * transient failure for as long as it lasts, and not once a stop has begun (whatever error handler Camel has or has
 * not told yet). As the first step of the stream's route ({@link #check}), it fails a record that a stream consumer
 * still hands over while stopping (the rest of a polled batch): such a record is not final, its checkpoint is not
 * passed, and the next start reads it again, instead of a stop waiting for each one to fail against a dead sink.
 */
public class WhileRunning implements Predicate {

    @Override
    public boolean matches(Exchange exchange) {
        return running(exchange.getContext());
    }

    /** Starting or started: not stopping (a consumer may hand over records before the context says Started). */
    public static boolean running(org.apache.camel.CamelContext context) {
        org.apache.camel.ServiceStatus status = context.getStatus();
        return !status.isStopping() && !status.isStopped();
    }

    public void check(Exchange exchange) {
        if (!matches(exchange)) {
            throw new RejectedExecutionException("stopping: this record is left for the next start");
        }
    }
}
