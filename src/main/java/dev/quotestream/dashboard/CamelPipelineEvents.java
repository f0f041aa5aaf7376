package dev.quotestream.dashboard;

import dev.quotestream.pipeline.DeadLetters;
import dev.quotestream.pipeline.HttpFailures;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.ExchangeHelper;
import org.apache.camel.support.RoutePolicySupport;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Feeds the {@link PipelineMonitor} from Camel's own events, keyed by route ids and endpoint properties
 * (dashboard.* in application.properties), so the routes carry no dashboard steps:
 * <ul>
 *   <li>a send from the fetch route ({@code yahoo-request}): one chart request attempt, its latency and the answer's status;</li>
 *   <li>an exchange entering the consuming route ({@code quote-process}): a record in, and the stream lag;</li>
 *   <li>sends to {@code {{stream.uri}}}, {@code {{table.uri}}}, {@code {{alerts.uri}}}, {@code {{deadletter.uri}}}:
 *       published, stored, alerted, dead-lettered;</li>
 *   <li>any send to a non-{@code direct:} endpoint from a sink route: that sink works, or is failing. A rejection of
 *       the input itself (poison, dead-lettered) says nothing of the sink: it is neither.</li>
 * </ul>
 * A sink route is one that sends to the sink itself: a route that only hands over through {@code direct:} (or a queue)
 * is never seen failing, so {@code dashboard.routes.sinks} lists the routes behind it.
 */
public class CamelPipelineEvents extends EventNotifierSupport implements RoutePolicyFactory {

    /** Kinesis2Constants.APPROX_ARRIVAL_TIME, without a compile-time tie to the AWS component. */
    static final String KINESIS_ARRIVAL = "CamelAwsKinesisApproximateArrivalTimestamp";

    private final PipelineMonitor monitor;
    private final String fetchRoute;
    private final String consumeRoute;
    private final Set<String> sinkRoutes;
    private final String streamUri;
    private final String tableUri;
    private final String alertsUri;
    private final String deadLetterUri;
    private final Predicate<Throwable> poison;

    /** Endpoint URIs as given in the properties; resolved to Camel's normalized form here. */
    public CamelPipelineEvents(CamelContext context, PipelineMonitor monitor, String fetchRoute, String consumeRoute,
                               Set<String> sinkRoutes, String streamUri, String tableUri, String alertsUri,
                               String deadLetterUri, Predicate<Throwable> poison) {
        this.monitor = monitor;
        this.fetchRoute = fetchRoute;
        this.consumeRoute = consumeRoute;
        this.sinkRoutes = Set.copyOf(sinkRoutes);
        this.streamUri = normalized(context, streamUri);
        this.tableUri = normalized(context, tableUri);
        this.alertsUri = normalized(context, alertsUri);
        this.deadLetterUri = normalized(context, deadLetterUri);
        this.poison = poison;
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreStepEvents(true);
    }

    private static String normalized(CamelContext context, String uri) {
        return context.getEndpoint(context.resolvePropertyPlaceholders(uri)).getEndpointUri();
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeSentEvent || event instanceof CamelEvent.ExchangeSendingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        // Publish time: taken before the offer, since the consumer may start on the record before Sent fires.
        if (event instanceof CamelEvent.ExchangeSendingEvent sending) {
            if (sending.getEndpoint().getEndpointUri().equals(streamUri)) {
                monitor.published(sending.getExchange().getMessage().getMessageId());
            }
            return;
        }
        if (!(event instanceof CamelEvent.ExchangeSentEvent sent)) {
            return;
        }
        Exchange exchange = sent.getExchange();
        String uri = sent.getEndpoint().getEndpointUri();
        Throwable failure = exchange.getException();
        String route = ExchangeHelper.getAtRouteId(exchange);
        if (route == null) {
            route = exchange.getFromRouteId();
        }
        boolean internal = uri.startsWith("direct:");
        if (fetchRoute.equals(route) && !internal) {
            String symbol = exchange.getProperty("symbol", String.class);
            if (symbol != null) {
                // The request does not throw on an error status (the fetch route checks the answer itself):
                // the status of the answer says how it went.
                HttpOperationFailedException http = HttpFailures.find(failure);
                Integer answered = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
                int status = http != null ? http.getStatusCode() : answered == null ? 0 : answered;
                boolean clientError = status >= 400 && status < 500 && status != 429;
                String error = failure != null ? describe(failure) : status >= 400 ? "HTTP " + status : null;
                monitor.fetched(symbol, sent.getTimeTaken(), error, clientError);
            }
        }
        if (failure == null) {
            if (uri.equals(tableUri)) {
                monitor.stored(records(exchange.getMessage().getBody()));
            } else if (uri.equals(alertsUri)) {
                monitor.alerted();
            } else if (uri.equals(deadLetterUri) && exchange.getMessage().getHeader(DeadLetters.KEY_HEADER) != null) {
                String stage = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
                monitor.deadLettered(stage != null ? stage : exchange.getFromRouteId());
            }
        }
        if (route != null && sinkRoutes.contains(route) && !internal) {
            if (failure == null) {
                monitor.sinkSucceeded(route);
            } else if (!poison.test(failure)) {
                monitor.sinkFailed(route, describe(failure));
            }
        }
    }

    private static long records(Object body) {
        return body instanceof Collection<?> c ? c.size() : 1;
    }

    /** A short reason for the browser: the HTTP status, or the exception's type and first line. */
    static String describe(Throwable failure) {
        HttpOperationFailedException http = HttpFailures.find(failure);
        if (http != null) {
            return "HTTP " + http.getStatusCode() + (http.getStatusText() == null ? "" : " " + http.getStatusText());
        }
        String message = failure.getMessage();
        String first = message == null ? "" : message.lines().findFirst().orElse("");
        return failure.getClass().getSimpleName() + (first.isBlank() ? "" : ": " + first);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        if (!consumeRoute.equals(routeId)) {
            return null;
        }
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route r, Exchange exchange) {
                Object arrival = exchange.getMessage().getHeader(KINESIS_ARRIVAL);
                monitor.consumed(exchange.getMessage().getMessageId(), arrival instanceof Instant i ? i : null);
            }
        };
    }
}
