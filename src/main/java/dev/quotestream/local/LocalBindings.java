package dev.quotestream.local;

import dev.quotestream.metrics.ProcessedQuote;
import dev.quotestream.pipeline.TableItemEncoder;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

import java.nio.file.Path;

/** The local profile's beans: the SQLite table, which also holds the alert state. */
public class LocalBindings implements CamelConfiguration {

    @PropertyInject("data.dir")
    private String dataDir;
    @PropertyInject("local.table-file")
    private String tableFile;
    private LocalTable table;

    @BindToRegistry("localTable")
    public LocalTable localTable() {
        return table();
    }

    /** The local table takes the contract's attribute map as it is. */
    @BindToRegistry("tableItemEncoder")
    public TableItemEncoder tableItemEncoder() {
        return ProcessedQuote::toAttributes;
    }

    @BindToRegistry("alertStateStore")
    public LocalTable alertStateStore() {
        return table();
    }

    private synchronized LocalTable table() {
        if (table == null) {
            table = new LocalTable(Path.of(dataDir).resolve(tableFile));
        }
        return table;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addService(table(), true, true);
        // The fetch route's publisher: each quote to the local queue (stream.uri), in order.
        context.getRegistry().bind("quotePublisher", new dev.quotestream.quotes.EndpointQuotePublisher(context,
                context.resolvePropertyPlaceholders("{{stream.uri}}")));
    }
}
