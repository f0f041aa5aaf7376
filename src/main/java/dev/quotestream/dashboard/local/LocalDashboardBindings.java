package dev.quotestream.dashboard.local;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

import java.nio.file.Path;
import java.time.Clock;

/** The local profile's dashboard readers: the SQLite table, its alert log, the dead-letter files. */
public class LocalDashboardBindings implements CamelConfiguration {

    @PropertyInject("data.dir")
    private String dataDir;
    @PropertyInject("local.table-file")
    private String tableFile;
    @PropertyInject("deadletter.prefix")
    private String deadLetterPrefix;
    private SqliteAlertLog alertLog;

    @BindToRegistry("quoteReader")
    public SqliteQuoteReader quoteReader() {
        return new SqliteQuoteReader(table());
    }

    @BindToRegistry("alertLog")
    public synchronized SqliteAlertLog alertLog() {
        if (alertLog == null) {
            alertLog = new SqliteAlertLog(table());
        }
        return alertLog;
    }

    @BindToRegistry("deadLetterCounter")
    public LocalDeadLetterCounter deadLetterCounter() {
        return new LocalDeadLetterCounter(Path.of(dataDir).resolve(deadLetterPrefix), Clock.systemUTC());
    }

    private Path table() {
        return Path.of(dataDir).resolve(tableFile);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addService(alertLog(), true, true);
    }
}
