package dev.quotestream.pipeline;

import dev.quotestream.metrics.QuoteMetrics;
import dev.quotestream.quotes.YahooChartParser;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;

import java.math.BigDecimal;

/**
 * Beans shared by every binding. The binding's own configuration class (local or aws profile) binds
 * {@code tableItemEncoder} and {@code alertStateStore}, which {@link #alertGate} uses.
 */
public class PipelineConfiguration implements CamelConfiguration {

    @BindToRegistry
    public QuoteMetrics quoteMetrics(@PropertyInject("pipeline.anomaly-threshold-percent") String threshold) {
        return new QuoteMetrics(new BigDecimal(threshold));
    }

    @BindToRegistry
    public YahooChartParser yahooChartParser() {
        return new YahooChartParser();
    }

    /** Last market time published per symbol: a repeat of the same (symbol, market time) is skipped. */
    @BindToRegistry
    public MemoryIdempotentRepository publishedQuotes() {
        return (MemoryIdempotentRepository) MemoryIdempotentRepository.memoryIdempotentRepository(10_000);
    }

    /** Bound once every configuration class has bound its beans: the store comes from the binding. */
    @Override
    public void configure(CamelContext context) {
        AlertStateStore store = context.getRegistry().lookupByNameAndType("alertStateStore", AlertStateStore.class);
        if (store == null) {
            throw new IllegalStateException("the active profile binds no 'alertStateStore' bean");
        }
        String threshold = context.resolvePropertyPlaceholders("{{pipeline.anomaly-threshold-percent}}");
        context.getRegistry().bind("alertGate", new AlertGate(store, new BigDecimal(threshold)));
    }

    @BindToRegistry
    public LakeRecords lakeRecords(@PropertyInject("lake.prefix") String prefix) {
        return new LakeRecords(prefix);
    }

    @BindToRegistry
    public DeadLetters deadLetters(@PropertyInject("deadletter.prefix") String prefix) {
        return new DeadLetters(prefix);
    }
}
