package dev.quotestream.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.quotestream.pipeline.ExchangeCounter;
import dev.quotestream.pipeline.PipelineRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fetch side on /api/status: a good symbol and one Yahoo answers 404 for. The unknown symbol shows as
 * quarantined (the fetch side's SymbolQuarantine, with its next retry), its fetch
 * as failed with the status, its dead letter in today's count; the good one as fetched, with a latency.
 */
class FetchStatusTest {

    @Test
    void anUnknownSymbolIsListedAsQuarantinedAndItsDeadLetterCounted(@TempDir Path data) throws Exception {
        WireMockServer yahoo = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        yahoo.start();
        try {
            String good;
            try (InputStream in = getClass().getResourceAsStream("/yahoo/chart-MSFT-1m-with-nulls.json")) {
                good = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/MSFT")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(good)));
            try (InputStream in = getClass().getResourceAsStream("/yahoo/error-404-not-found.json")) {
                yahoo.stubFor(get(urlPathEqualTo("/v8/finance/chart/ZZZZ")).willReturn(aResponse().withStatus(404)
                        .withHeader("Content-Type", "application/json").withBody(in.readAllBytes())));
            }
            Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
            p.put("quotes.base-url", yahoo.baseUrl());
            p.put("quotes.symbols", "MSFT,ZZZZ");
            p.put("quotes.fetch-period-ms", "3600000");
            p.put("report.schedule-enabled", "false");
            p.put("dashboard.port", "0");
            try (PipelineRunner app = PipelineRunner.start(p)) {
                ExchangeCounter dead = ExchangeCounter.deadLettered(app.context());
                ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
                assertThat(dead.await(1, Duration.ofSeconds(30))).isTrue();
                assertThat(stored.await(1, Duration.ofSeconds(30))).isTrue();
                JsonNode s = new Http(app.context()).get("/api/status").json();

                JsonNode quarantined = s.get("quarantined");
                assertThat(quarantined).hasSize(1);
                assertThat(quarantined.get(0).get("symbol").asText()).isEqualTo("ZZZZ");
                assertThat(quarantined.get(0).get("state").asText()).isEqualTo("quarantined");
                assertThat(quarantined.get(0).get("retry_at").asText()).isNotEmpty();
                assertThat(quarantined.get(0).get("reason").asText()).contains("HTTP 404");
                assertThat(quarantined.get(0).get("since").asText()).isNotEmpty();

                JsonNode msft = s.get("fetches").get(0);
                assertThat(msft.get("symbol").asText()).isEqualTo("MSFT");
                assertThat(msft.get("ok").asBoolean()).isTrue();
                assertThat(msft.get("latency_ms").asLong()).isGreaterThanOrEqualTo(0);
                JsonNode zzzz = s.get("fetches").get(1);
                assertThat(zzzz.get("ok").asBoolean()).isFalse();
                assertThat(zzzz.get("error").asText()).contains("404");
                assertThat(s.get("dead_letters_today").asLong()).isEqualTo(1);
                assertThat(s.get("counters").get("dead_lettered").asLong()).isEqualTo(1);
                assertThat(new Http(app.context()).get("/observe/metrics").body())
                        .contains("quotes_dead_lettered_total{stage=\"quote-fetch\"} 1.0")
                        .containsPattern("quotes_fetch_latency_seconds_count\\{outcome=\"error\"} 1(\\.0)?\\n");
            }
        } finally {
            yahoo.stop();
        }
    }
}
