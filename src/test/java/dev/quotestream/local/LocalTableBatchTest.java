package dev.quotestream.local;

import dev.quotestream.core.metrics.ProcessedQuote;
import dev.quotestream.core.metrics.Quote;
import dev.quotestream.core.metrics.QuoteMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The local table as the core's TableWriter: a batch in one transaction, rows replaced whole (PutItem semantics). */
class LocalTableBatchTest {

    private final QuoteMetrics metrics = new QuoteMetrics();

    private ProcessedQuote quote(String symbol, String time, String price) {
        return metrics.process(new Quote(symbol, "2026-11-25T" + time + "Z", new BigDecimal("100"),
                new BigDecimal("130"), new BigDecimal("80"), new BigDecimal(price), 1000L, new BigDecimal("100"),
                "USD", "America/New_York"));
    }

    @Test
    void aBatchIsStoredInOneTransactionAndALaterQuoteOfTheSameKeyReplacesItsRow(@TempDir Path dir) throws Exception {
        LocalTable table = new LocalTable(dir.resolve("quotes.db"));
        table.start();
        try {
            List<ProcessedQuote> batch = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                batch.add(quote("S" + (i % 50), String.format("14:%02d:%02d", i / 50, 0), "101.25"));
            }
            batch.add(quote("S0", "14:00:00", "0.00004")); // same key as the first: the later one is the row

            List<RuntimeException> results = table.write(batch);

            assertThat(results).hasSize(501).containsOnlyNulls();
            TreeMap<String, String> rows = new TreeMap<>();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("quotes.db"));
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT symbol, timestamp, price FROM quotes")) {
                while (rs.next()) {
                    rows.put(rs.getString(1) + "|" + rs.getString(2), rs.getString(3));
                }
            }
            assertThat(rows).hasSize(500);
            assertThat(new BigDecimal(rows.get("S0|2026-11-25T14:00:00Z"))).isEqualByComparingTo("0.00004");
            assertThat(new BigDecimal(rows.get("S49|2026-11-25T14:09:00Z"))).isEqualByComparingTo("101.25");
        } finally {
            table.stop();
        }
    }
}
