package dev.quotestream.pipeline;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.ShutdownPrepared;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A stop ends every retry at once: when the context starts stopping, every route's error handlers are told to prepare
 * for shutdown, so a retry in progress (allowRedeliveryWhileStopping=false) ends instead of sleeping on. Camel tells a
 * route only when its own turn to stop comes, and the stream consumer's route, stopped first, waits for its record,
 * which waits for a sink route still retrying: the stop would hang until the shutdown timeout. A record whose retry
 * ends this way is not final: its checkpoint is not passed, the next start reads it again.
 */
public class EndRetriesOnStop extends EventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EndRetriesOnStop.class);
    private final CamelContext context;

    public EndRetriesOnStop(CamelContext context) {
        this.context = context;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStoppingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        int prepared = 0;
        for (Route route : context.getRoutes()) {
            Set<Service> services = new LinkedHashSet<>(route.getServices());
            if (route.getProcessor() instanceof Service processor) {
                services.add(processor);
            }
            for (Service service : services) {
                for (Service child : ServiceHelper.getChildServices(service, true)) {
                    if (child instanceof ShutdownPrepared shutdownPrepared) {
                        shutdownPrepared.prepareShutdown(false, false);
                        prepared++;
                    }
                }
            }
        }
        LOG.info("Stopping: retries end now ({} error handlers and aggregators told)", prepared);
    }
}
