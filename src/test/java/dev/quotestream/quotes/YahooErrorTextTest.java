package dev.quotestream.quotes;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Yahoo's own words from every wrapper seen (hand-made bodies in the shapes Yahoo uses). */
class YahooErrorTextTest {

    @ParameterizedTest(name = "{index}: {0}")
    @CsvSource(delimiter = '|', value = {
            "{\"chart\":{\"result\":null,\"error\":{\"code\":\"Not Found\",\"description\":\"No data found, symbol may be delisted\"}}} | Not Found: No data found, symbol may be delisted",
            "{\"finance\":{\"result\":null,\"error\":{\"code\":\"Unauthorized\",\"description\":\"Invalid Crumb\"}}} | Unauthorized: Invalid Crumb",
            "{\"finance\":{\"error\":{\"code\":\"Too Many Requests\",\"description\":\"Rate limited. Try after a while.\"}}} | Too Many Requests: Rate limited. Try after a while.",
            "Too Many Requests                                                                             | Too Many Requests",
            "<html><head><title>Yahoo - 503 Service Unavailable</title></head><body>x</body></html>        | Yahoo - 503 Service Unavailable",
            "<html><body>Will be right back... Yahoo! Finance is currently down</body></html>             | Will be right back... Yahoo! Finance is currently down",
            "{\"chart\":{\"result\":[],\"error\":null}}                                                  | ''",
    })
    void extractsTheText(String body, String text) {
        assertThat(YahooErrorText.of(body)).isEqualTo(text);
    }

    @org.junit.jupiter.api.Test
    void longBodiesAreCutToOneShortLine() {
        String text = YahooErrorText.of("x\n".repeat(1000));
        assertThat(text).hasSize(YahooErrorText.MAX_CHARS + 1).doesNotContain("\n");
        assertThat(YahooErrorText.of(null)).isEmpty();
    }
}
