package dev.quotestream.local;

import dev.quotestream.metrics.ProcessedQuote;
import dev.quotestream.pipeline.TableItemEncoder;
import dev.quotestream.quotes.MarketSimulator;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/** The local profile's beans: SQLite table and alert state, and the market simulator. */
public class LocalBindings implements CamelConfiguration {

    @PropertyInject("data.dir")
    private String dataDir;
    @PropertyInject("local.table-file")
    private String tableFile;
    @PropertyInject("quotes.base-url")
    private String quotesBaseUrl;
    @PropertyInject("quotes.symbols")
    private String symbols;
    @PropertyInject("simulator.host")
    private String simulatorHost;
    @PropertyInject("simulator.port")
    private int simulatorPort;
    @PropertyInject("simulator.seed")
    private long simulatorSeed;
    @PropertyInject("simulator.tick-seconds")
    private int simulatorTickSeconds;
    @PropertyInject("simulator.jump-window-ticks")
    private int simulatorJumpWindowTicks;

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
        String simulatorUrl = "http://" + simulatorHost + ":" + simulatorPort;
        // The simulator only runs when the fetch route points at it: live Yahoo is one property away.
        if (quotesBaseUrl.equals(simulatorUrl)) {
            List<String> simulated = Arrays.stream(symbols.split(",")).map(String::trim).toList();
            MarketSimulator simulator = new MarketSimulator(simulatorHost, simulatorPort, simulatorSeed,
                    simulatorTickSeconds, simulatorJumpWindowTicks, simulated, Clock.systemUTC());
            context.getRegistry().bind("marketSimulator", simulator);
            context.addService(new org.apache.camel.support.service.ServiceSupport() {
                @Override
                protected void doStart() throws Exception {
                    simulator.start();
                }

                @Override
                protected void doStop() {
                    simulator.stop();
                }
            }, true, true);
        }
    }

}
