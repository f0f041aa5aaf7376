package dev.quotestream.local;

import dev.quotestream.core.Failures;
import dev.quotestream.core.TableItemEncoder;
import dev.quotestream.core.metrics.ProcessedQuote;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The local profile's beans: the SQLite table (which also holds the alert state and its outbox), the durable local
 * stream ({@code local-stream:} over {@code stream.db}, with its checkpoints), and the data directory's files.
 */
public class LocalBindings implements CamelConfiguration {

    @PropertyInject("data.dir")
    private String dataDir;
    @PropertyInject("local.table-file")
    private String tableFile;
    @PropertyInject("local.stream-file")
    private String streamFile;
    @PropertyInject("stream.name")
    private String streamName;
    @PropertyInject("stream.shards")
    private int streamShards;
    @PropertyInject("stream.retention-hours")
    private int retentionHours;
    private LocalTable table;
    private LocalStreamLog stream;

    @BindToRegistry("localTable")
    public LocalTable localTable() {
        return table();
    }

    /** The table sink of a batch: one SQLite transaction. */
    @BindToRegistry("tableWriter")
    public LocalTable tableWriter() {
        return localTable();
    }

    /** The local table takes the contract's attribute map as it is. */
    @BindToRegistry("tableItemEncoder")
    public TableItemEncoder tableItemEncoder() {
        return ProcessedQuote::toAttributes;
    }

    @BindToRegistry("alertOutbox")
    public LocalTable alertOutbox() {
        return table();
    }

    @BindToRegistry("checkpointStore")
    public LocalStreamLog checkpointStore() {
        return stream();
    }

    @BindToRegistry("failures")
    public Failures failures() {
        return Failures.inputOnly();
    }

    /** The lake's objects, the dead letters and the alert lines under the data directory. */
    @BindToRegistry("localFiles")
    public LocalFiles localFiles() {
        LocalFiles files = new LocalFiles(Path.of(dataDir));
        files.sweepInterruptedWrites();
        return files;
    }

    private synchronized LocalTable table() {
        if (table == null) {
            table = new LocalTable(Path.of(dataDir).resolve(tableFile));
        }
        return table;
    }

    private synchronized LocalStreamLog stream() {
        if (stream == null) {
            stream = new LocalStreamLog(Path.of(dataDir).resolve(streamFile), streamName, streamShards,
                    Duration.ofHours(retentionHours));
        }
        return stream;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // Added first, so stopped last: after the routes and the final checkpoint.
        context.addService(stream(), true, true);
        context.addService(table(), true, true);
        context.addComponent("local-stream", new LocalStreamComponent(stream()));
        // The fetch route's publisher: each quote to the local stream (stream.uri), in order.
        context.getRegistry().bind("quotePublisher", new dev.quotestream.quotes.EndpointQuotePublisher(context,
                context.resolvePropertyPlaceholders("{{stream.uri}}")));
    }
}
