package dev.quotestream.quotes;

import dev.quotestream.pipeline.PipelineRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YahooSymbolsTest {

    @Test
    void entriesAreTrimmedUpperCasedAndDeduplicated() {
        assertThat(YahooSymbols.parse("aapl, AAPL ,AAPL,brk-b,^gspc,EURUSD=X,7203.t").list())
                .containsExactly("AAPL", "BRK-B", "^GSPC", "EURUSD=X", "7203.T");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "../etc           | quotes.symbols entry #2 '../etc' is not a ticker symbol",
            "AAPL/../../x     | quotes.symbols entry #2 'AAPL/../../x' is not a ticker symbol",
            "AAPL?x           | quotes.symbols entry #2 'AAPL?x' is not a ticker symbol",
            "{{env:PATH}}     | quotes.symbols entry #2 '{{env:PATH}}' is not a ticker symbol",
            "AAPL%2F          | quotes.symbols entry #2 'AAPL%2F' is not a ticker symbol",
    })
    void aBadEntryIsNamed(String entry, String message) {
        assertThatThrownBy(() -> YahooSymbols.parse("MSFT," + entry + ",NVDA"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }

    @Test
    void emptyEntriesAndEmptyListsAreNamed() {
        assertThatThrownBy(() -> YahooSymbols.parse("AAPL,,MSFT")).hasMessageStartingWith("quotes.symbols entry #2 is empty");
        assertThatThrownBy(() -> YahooSymbols.parse("AAPL,")).hasMessageStartingWith("quotes.symbols entry #2 is empty");
        assertThatThrownBy(() -> YahooSymbols.parse(" ")).hasMessageStartingWith("quotes.symbols is empty");
    }

    @Test
    void eachSymbolIsOnePercentEncodedPathSegment() {
        assertThat(YahooSymbols.pathSegment("^GSPC")).isEqualTo("%5EGSPC");
        assertThat(YahooSymbols.pathSegment("EURUSD=X")).isEqualTo("EURUSD%3DX");
        assertThat(YahooSymbols.pathSegment("BRK-B")).isEqualTo("BRK-B");
        assertThat(YahooSymbols.pathSegment("7203.T")).isEqualTo("7203.T");
    }

    /** At startup, with the placeholder in the raw property: startup stops, and PATH's value is never used. */
    @Test
    void aBadEntryStopsStartupAndPlaceholdersInTheListAreNotResolved(@TempDir Path data) throws Exception {
        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.symbols", "AAPL,{{env:PATH}}");
        p.put("report.schedule-enabled", "false");
        assertThatThrownBy(() -> PipelineRunner.start(p).close())
                .hasStackTraceContaining("quotes.symbols entry #2 '{{env:PATH}}' is not a ticker symbol")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(System.getenv("PATH")));
    }

    @Test
    void theValidatedListIsWhatTheRouteFetches(@TempDir Path data) throws Exception {
        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.symbols", " aapl,AAPL , msft");
        p.put("quotes.fetch-period-ms", "3600000");
        p.put("report.schedule-enabled", "false");
        try (PipelineRunner app = PipelineRunner.start(p)) {
            assertThat(app.context().getRegistry().lookupByNameAndType("yahooSymbols", YahooSymbols.class).list())
                    .containsExactly("AAPL", "MSFT");
        }
    }

    private static String stackTrace(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }
}
