package dev.quotestream.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quotestream.pipeline.ExchangeCounter;
import dev.quotestream.pipeline.PipelineRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.quotestream.dashboard.SinkHealthTest.await;
import static dev.quotestream.dashboard.SinkHealthTest.awaitAnswer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lake and the alert topic are written by routes the batch reaches only through {@code direct:} (lake-sink ->
 * lake-buffer, alert-sink -> the queue -> alert-publish): an outage of either must still show in /api/status and
 * take readiness DOWN. Locally the lake and the alert file live under the data directory; a plain file where their
 * directory should be makes every write fail (an I/O error: transient, retried) until it is removed.
 */
class SinkOutageStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, String> properties(Path data) throws Exception {
        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.symbols", String.join(",", KnownQuotes.SYMBOLS));
        p.put("pipeline.fetch-in-camel", "false");
        p.put("pipeline.redelivery-delay-ms", "200");
        p.put("pipeline.max-redelivery-delay-ms", "500");
        p.put("lake.flush-interval-ms", "200");
        p.put("alerts.relay-period-ms", "200");
        p.put("alerts.relay-initial-backoff-ms", "200");
        p.put("alerts.relay-max-backoff-ms", "500");
        p.put("dashboard.health.sink-down-after-ms", "1500");
        p.put("dashboard.port", "0");
        p.put("report.schedule-enabled", "false");
        return p;
    }

    @Test
    void aLakeWriteOutageShowsAsAFailingSinkUntilTheObjectIsWritten(@TempDir Path data) throws Exception {
        try (PipelineRunner app = PipelineRunner.start(properties(data))) {
            Http http = new Http(app.context());
            assertThat(http.get("/observe/health").json().get("status").asText()).isEqualTo("UP");
            Path lake = data.resolve(app.context().resolvePropertyPlaceholders("{{lake.prefix}}"));
            assertThat(lake).doesNotExist();
            Files.writeString(lake, "not a directory: every lake write fails");
            Map<String, Object> quote = KnownQuotes.records(KnownQuotes.start()).get(0); // AAPL, within 5 %
            KnownQuotes.publishAndAwait(app.context(), List.of(quote));

            JsonNode status = awaitSinkDown(http, "lake-buffer");
            JsonNode sink = find(status.get("sinks"), "lake-buffer");
            assertThat(sink.get("error").asText()).startsWith("FileSystemException: " + lake);
            assertThat(find(status.get("sinks"), "table-sink").get("state").asText()).isEqualTo("ok");
            assertThat(http.get("/observe/metrics").body()).containsPattern(
                    "quotes_sink_failing_seconds\\{route=\"lake-buffer\"} [1-9]")
                    // The dead-letter counters stay by stage (the Lambda's too), not by the routes watched here.
                    .contains("quotes_dead_lettered_total{stage=\"alert-sink\"} 0.0")
                    .contains("quotes_dead_lettered_total{stage=\"lake-sink\"} 0.0")
                    .doesNotContain("quotes_dead_lettered_total{stage=\"lake-buffer\"}");
            assertThat(Files.isRegularFile(lake)).as("no lake object written").isTrue();

            // The lake is back: the retried object is written with the quote, and the sink is healthy again.
            Files.delete(lake);
            await(() -> Files.isDirectory(lake) && lakeLines(lake).size() == 1, Duration.ofSeconds(30));
            Map<?, ?> line = JSON.readValue(lakeLines(lake).get(0), Map.class);
            assertThat(line.get("symbol")).isEqualTo("AAPL");
            assertThat(line.get("timestamp")).isEqualTo(quote.get("timestamp"));
            Http.Answer up = awaitAnswer(http, "/observe/health/ready", a -> a.status() == 200, Duration.ofSeconds(30));
            assertThat(up.json().get("status").asText()).isEqualTo("UP");
            JsonNode after = find(http.get("/api/status").json().get("sinks"), "lake-buffer");
            assertThat(after.get("state").asText()).isEqualTo("ok");
            assertThat(after.get("last_success_at").asText()).isNotBlank();
        }
    }

    @Test
    void anAlertPublishOutageShowsAsAFailingSinkUntilTheAlertIsDelivered(@TempDir Path data) throws Exception {
        try (PipelineRunner app = PipelineRunner.start(properties(data))) {
            Http http = new Http(app.context());
            Path alerts = data.resolve("alerts");
            assertThat(alerts).doesNotExist();
            Files.writeString(alerts, "not a directory: every alert publish fails");
            ExchangeCounter logged = ExchangeCounter.sentTo(app.context(), "{{alerts.log-uri}}");
            List<Map<String, Object>> records = KnownQuotes.records(KnownQuotes.start());
            // MSFT 201 then 185 (-7.5 % vs 200): one crossing, one alert to publish.
            KnownQuotes.publishAndAwait(app.context(), List.of(records.get(1), records.get(3)));

            JsonNode status = awaitSinkDown(http, "alert-publish");
            JsonNode sink = find(status.get("sinks"), "alert-publish");
            assertThat(sink.get("error").asText()).isEqualTo("FileAlreadyExistsException: " + alerts);
            assertThat(status.get("counters").get("alerts").asLong()).isZero();
            assertThat(logged.count()).as("nothing published, nothing in the alert log").isZero();

            // The topic is back: the relay publishes the pending alert once, and the sink is healthy again.
            Files.delete(alerts);
            assertThat(logged.await(1, Duration.ofSeconds(30))).isTrue();
            List<String> lines = Files.readAllLines(alerts.resolve("alerts.jsonl"));
            assertThat(lines).singleElement().satisfies(l -> {
                Map<?, ?> alert = JSON.readValue(l, Map.class);
                assertThat(alert.get("symbol")).isEqualTo("MSFT");
                assertThat((String) alert.get("alert_key")).startsWith("MSFT|").endsWith("|1");
            });
            Http.Answer up = awaitAnswer(http, "/observe/health/ready", a -> a.status() == 200, Duration.ofSeconds(30));
            assertThat(up.json().get("status").asText()).isEqualTo("UP");
            assertThat(find(http.get("/api/status").json().get("sinks"), "alert-publish").get("state").asText())
                    .isEqualTo("ok");
        }
    }

    private static List<String> lakeLines(Path lake) throws Exception {
        try (Stream<Path> files = Files.walk(lake)) {
            List<Path> objects = files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".json"))
                    .toList();
            List<String> lines = new java.util.ArrayList<>();
            for (Path o : objects) {
                lines.addAll(Files.readAllLines(o));
            }
            return lines;
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

    /** Health and readiness turn DOWN naming this sink, and /api/status shows it failing; returns that status. */
    private static JsonNode awaitSinkDown(Http http, String route) throws Exception {
        Http.Answer down = awaitAnswer(http, "/observe/health", a -> a.status() == 503, Duration.ofSeconds(30));
        assertThat(down.body()).contains(route);
        assertThat(http.get("/observe/health/ready").status()).isEqualTo(503);
        JsonNode status = http.get("/api/status").json();
        assertThat(status.get("health").asText()).isEqualTo("DOWN");
        assertThat(find(status.get("sinks"), route).get("state").asText()).isEqualTo("failing");
        return status;
    }
}
