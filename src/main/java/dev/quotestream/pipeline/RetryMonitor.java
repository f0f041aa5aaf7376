package dev.quotestream.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Transient failures are retried until they succeed (or a stop ends the retry, leaving the record un-checkpointed):
 * each retry logs a WARN, and once a record has been retried for longer than {@code errorAfter}, one ERROR says so,
 * naming the route and the failure. The stream's checkpoint holds that record meanwhile.
 */
public class RetryMonitor extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger("retries");
    private final Duration errorAfter;
    private final Map<String, Long> firstRetry = new ConcurrentHashMap<>();
    private final Map<String, Boolean> reported = new ConcurrentHashMap<>();

    public RetryMonitor(Duration errorAfter) {
        this.errorAfter = errorAfter;
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeRedeliveryEvent redelivery) {
            Exchange exchange = redelivery.getExchange();
            String id = exchange.getExchangeId();
            long first = firstRetry.computeIfAbsent(id, k -> System.currentTimeMillis());
            long elapsed = System.currentTimeMillis() - first;
            if (elapsed >= errorAfter.toMillis() && reported.putIfAbsent(id, Boolean.TRUE) == null) {
                Throwable failure = exchange.getException() != null ? exchange.getException()
                        : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                LOG.error("Still retrying {} after {} s (attempt {}), record {} of {}: {}. Its stream position is "
                                + "held until it succeeds.", exchange.getFromRouteId(), elapsed / 1000,
                        redelivery.getAttempt(), exchange.getMessage().getHeader(StreamRecords.SEQUENCE_NUMBER),
                        exchange.getMessage().getHeader(StreamRecords.SHARD_ID), failure);
            }
        } else if (event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent) {
            String id = ((CamelEvent.ExchangeEvent) event).getExchange().getExchangeId();
            firstRetry.remove(id);
            reported.remove(id);
        }
    }
}
