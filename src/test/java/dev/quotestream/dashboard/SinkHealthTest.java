package dev.quotestream.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quotestream.pipeline.ExchangeCounter;
import dev.quotestream.pipeline.PipelineRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health goes DOWN when a sink has failed for longer than dashboard.health.sink-down-after-ms, and back UP
 * when it recovers: the local table is locked by another SQLite writer, so every write of the table sink
 * fails ("database is locked") and is redelivered, until the lock is released.
 */
class SinkHealthTest {

    @Test
    void aSinkFailingLongerThanTheLimitMakesHealthDownUntilItRecovers(@TempDir Path data) throws Exception {
        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.symbols", String.join(",", KnownQuotes.SYMBOLS));
        p.put("pipeline.fetch-in-camel", "false");
        p.put("pipeline.max-redeliveries", "50");
        p.put("pipeline.redelivery-delay-ms", "200");
        p.put("pipeline.max-redelivery-delay-ms", "500");
        p.put("dashboard.health.sink-down-after-ms", "1500");
        p.put("dashboard.port", "0");
        try (PipelineRunner app = PipelineRunner.start(p)) {
            Http http = new Http(app.context());
            assertThat(http.get("/observe/health").json().get("status").asText()).isEqualTo("UP");
            ExchangeCounter stored = ExchangeCounter.of(app.context(), e -> e instanceof org.apache.camel.spi.CamelEvent.ExchangeSentEvent s
                    && s.getEndpoint().getEndpointUri().startsWith("bean://tableSink") && s.getExchange().getException() == null);
            Instant failingFrom;
            try (Connection lock = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("quotes.db"));
                 Statement s = lock.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
                Map<String, Object> quote = KnownQuotes.records(KnownQuotes.start()).get(0); // AAPL, within 5 %
                app.context().createProducerTemplate().sendBodyAndHeader(
                        app.context().resolvePropertyPlaceholders("{{stream.uri}}"),
                        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(quote),
                        "CamelAwsKinesisPartitionKey", "AAPL");

                await(() -> http.get("/api/status").json().get("sinks").findValuesAsText("state").contains("failing"),
                        Duration.ofSeconds(60));
                failingFrom = Instant.now();
                Http.Answer down = awaitAnswer(http, "/observe/health", a -> a.status() == 503, Duration.ofSeconds(30));
                assertThat(down.json().get("status").asText()).isEqualTo("DOWN");
                assertThat(down.body()).contains("sinks").contains("table-sink");
                // Liveness stays UP: a restart would not unlock the table.
                assertThat(http.get("/observe/health/live").status()).isEqualTo(200);
                assertThat(http.get("/observe/health/ready").status()).isEqualTo(503);
                JsonNode status = http.get("/api/status").json();
                assertThat(status.get("health").asText()).isEqualTo("DOWN");
                JsonNode table = find(status.get("sinks"), "table-sink");
                assertThat(table.get("state").asText()).isEqualTo("failing");
                assertThat(table.get("error").asText()).contains("locked");
                assertThat(http.get("/observe/metrics").body()).containsPattern(
                        "quotes_sink_failing_seconds\\{route=\"table-sink\"} [1-9]");
                assertThat(stored.count()).isZero();
                s.execute("ROLLBACK");
            }
            // Released: the next redelivery stores the record, the sink is healthy again.
            assertThat(stored.await(1, Duration.ofSeconds(60))).isTrue();
            Http.Answer up = awaitAnswer(http, "/observe/health", a -> a.status() == 200, Duration.ofSeconds(30));
            assertThat(up.json().get("status").asText()).isEqualTo("UP");
            assertThat(find(http.get("/api/status").json().get("sinks"), "table-sink").get("state").asText()).isEqualTo("ok");
            assertThat(Duration.between(failingFrom, Instant.now())).isPositive();
            assertThat(new dev.quotestream.dashboard.local.SqliteQuoteReader(data.resolve("quotes.db"))
                    .latest("AAPL")).isPresent();
        }
    }

    private static JsonNode find(JsonNode sinks, String route) {
        for (JsonNode s : sinks) {
            if (s.get("route").asText().equals(route)) {
                return s;
            }
        }
        throw new AssertionError("no sink " + route + " in " + sinks);
    }

    static void await(Callable<Boolean> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(100); // polling an HTTP endpoint: there is no event to wait on from outside
        }
    }

    static Http.Answer awaitAnswer(Http http, String path, java.util.function.Predicate<Http.Answer> ok, Duration timeout)
            throws Exception {
        Http.Answer[] last = new Http.Answer[1];
        await(() -> ok.test(last[0] = http.get(path)), timeout);
        return last[0];
    }

}
