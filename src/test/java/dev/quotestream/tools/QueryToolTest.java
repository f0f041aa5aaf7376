package dev.quotestream.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The query tool prints numbers as they are stored, in plain text, from the SQLite table and the lake. */
class QueryToolTest {

    @TempDir
    Path dataDir;

    String query(String store, String sql) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            QueryTool.run(store, sql, dataDir, out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tableNumbersPrintAsStoredWithoutColourCodes() throws Exception {
        // The pipeline binds scale-4 decimals into NUMERIC columns, as LocalTable does.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("quotes.db"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE quotes (symbol TEXT, price NUMERIC, volume INTEGER)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO quotes VALUES (?, ?, ?)")) {
                for (String[] row : new String[][] {{"AAPL", "230.8000", "100"}, {"AAPL", "230.9000", "200"},
                        {"MSFT", "208.0000", "300"}}) {
                    ps.setString(1, row[0]);
                    ps.setBigDecimal(2, new BigDecimal(row[1]));
                    ps.setLong(3, Long.parseLong(row[2]));
                    ps.executeUpdate();
                }
            }
        }
        String out = query("table", "SELECT symbol, price, volume FROM quotes ORDER BY symbol, price");
        assertThat(out).isEqualTo("""
                symbol  price  volume
                ------  -----  ------
                AAPL    230.8  100
                AAPL    230.9  200
                MSFT    208    300
                (3 rows)
                """);
        // (230.8 + 230.9) / 2 is 230.85000000000002 as a double: printed as the 230.85 it stands for.
        assertThat((230.8 + 230.9) / 2).hasToString("230.85000000000002");
        assertThat(query("table", "SELECT AVG(price) AS avg FROM quotes WHERE symbol = 'AAPL'"))
                .contains("\n230.85\n").doesNotContain("\u001b", "230.8500000");
    }

    @Test
    void lakeNumbersPrintAsWrittenInTheJsonLines() throws Exception {
        Path part = dataDir.resolve("raw/dt=2026-11-25/ticker=AAPL/part-1.json");
        Files.createDirectories(part.getParent());
        Files.writeString(part, """
                {"symbol":"AAPL","timestamp":"2026-11-25T14:30:00Z","price":230.85,"low":208,"volume":60868310}
                {"symbol":"AAPL","timestamp":"2026-11-25T14:30:30Z","price":230.84999999999997,"low":208.5,"volume":60868311}
                """);
        String out = query("lake", "SELECT ticker, price, low, volume FROM raw_data ORDER BY \"timestamp\"");
        assertThat(out).isEqualTo("""
                ticker  price   low    volume
                ------  ------  -----  --------
                AAPL    230.85  208    60868310
                AAPL    230.85  208.5  60868311
                (2 rows)
                """);
    }

    @Test
    void textOfEachKindOfValue() {
        assertThat(QueryTool.text(null)).isEqualTo("NULL");
        assertThat(QueryTool.text(230.84999999999997)).isEqualTo("230.85");
        assertThat(QueryTool.text(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(QueryTool.text(-0.8222)).isEqualTo("-0.8222");
        assertThat(QueryTool.text(1.0E-7)).isEqualTo("0.0000001");
        assertThat(QueryTool.text(1.5E20)).isEqualTo("150000000000000000000");
        assertThat(QueryTool.text(0.0)).isEqualTo("0");
        assertThat(QueryTool.text(Double.NaN)).isEqualTo("NaN");
        assertThat(QueryTool.text(208.1f)).isEqualTo("208.1");
        assertThat(QueryTool.text(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(QueryTool.text(42L)).isEqualTo("42");
    }
}
