package dev.quotestream.pipeline;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Counts exchanges sent to an endpoint and lets a test wait for a count. NotifyBuilder counts by the
 * consuming route, which multicast copies share, so the tests count sends instead. No sleeping.
 */
public final class ExchangeCounter extends EventNotifierSupport {

    private final Predicate<CamelEvent> matches;
    private final java.util.function.ToIntFunction<CamelEvent> weight;
    private int count;

    private ExchangeCounter(Predicate<CamelEvent> matches, java.util.function.ToIntFunction<CamelEvent> weight) {
        this.matches = matches;
        this.weight = weight;
    }

    /**
     * Exchanges sent to an endpoint, property placeholders allowed: {@code direct:table-sink} counts the
     * records that reached the table, {@code {{deadletter.uri}}} the dead letters written.
     */
    public static ExchangeCounter sentTo(CamelContext context, String uri) throws Exception {
        String endpointUri = context.getEndpoint(context.resolvePropertyPlaceholders(uri)).getEndpointUri();
        return register(context, e -> e instanceof CamelEvent.ExchangeSentEvent sent
                && sent.getEndpoint().getEndpointUri().equals(endpointUri), ExchangeCounter::records);
    }

    /** How many records one exchange carries: a batch's table write stores many (header tableRecords). */
    private static int records(CamelEvent event) {
        var message = ((CamelEvent.ExchangeSentEvent) event).getExchange().getMessage();
        Integer stored = message.getHeader("tableRecords", Integer.class);
        if (stored != null) {
            return stored;
        }
        return message.getBody() instanceof java.util.Collection<?> c && !c.isEmpty() ? c.size() : 1;
    }

    /**
     * Lines handed to the lake's buffer (each send carries one partition's group of a batch, header lakeRecordCount):
     * once every stored quote is counted, a stop writes the buffer in one object per partition.
     */
    public static ExchangeCounter linesToLake(CamelContext context) throws Exception {
        String endpointUri = context.getEndpoint("direct:lake-buffer").getEndpointUri();
        return register(context, e -> e instanceof CamelEvent.ExchangeSentEvent sent
                && sent.getEndpoint().getEndpointUri().equals(endpointUri),
                e -> ((CamelEvent.ExchangeSentEvent) e).getExchange().getMessage().getHeader("lakeRecordCount", 1,
                        Integer.class));
    }

    /** Dead letters written (the lake may share the dead letters' endpoint, so the key header decides). */
    public static ExchangeCounter deadLettered(CamelContext context) throws Exception {
        String endpointUri = context.getEndpoint(context.resolvePropertyPlaceholders("{{deadletter.uri}}")).getEndpointUri();
        return register(context, e -> e instanceof CamelEvent.ExchangeSentEvent sent
                && sent.getEndpoint().getEndpointUri().equals(endpointUri)
                && sent.getExchange().getMessage().getHeader("deadLetterKey") != null);
    }

    /** Any event the predicate accepts, for example redeliveries. */
    public static ExchangeCounter of(CamelContext context, Predicate<CamelEvent> matches) throws Exception {
        return register(context, matches);
    }

    private static ExchangeCounter register(CamelContext context, Predicate<CamelEvent> matches) throws Exception {
        return register(context, matches, e -> 1);
    }

    private static ExchangeCounter register(CamelContext context, Predicate<CamelEvent> matches,
                                            java.util.function.ToIntFunction<CamelEvent> weight) throws Exception {
        ExchangeCounter counter = new ExchangeCounter(matches, weight);
        counter.start();
        context.getManagementStrategy().addEventNotifier(counter);
        return counter;
    }

    @Override
    public void notify(CamelEvent event) {
        if (matches.test(event)) {
            int n = weight.applyAsInt(event);
            synchronized (this) {
                count += n;
                notifyAll();
            }
        }
    }

    public synchronized int count() {
        return count;
    }

    /** Waits until at least {@code n} events were counted; false on timeout. */
    public synchronized boolean await(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
