package dev.quotestream.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Duration;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The real routes in the local profile: simulator, stream, table, lake, alerts, dead letters. */
class LocalPipelineTest {

    private static final List<String> SYMBOLS = List.of("AAPL", "GOOGL", "MSFT", "AMZN", "NVDA");

    private static Map<String, String> properties(Path data) throws Exception {
        Map<String, String> p = PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort());
        p.put("quotes.initial-delay-ms", "300");
        // Several ticks per object: with one tick and one flush per second, a loaded machine can put each quote in an
        // object of its own, and "batched" would then depend on timing.
        p.put("lake.flush-interval-ms", "4000");
        return p;
    }

    @Test
    void quotesFlowToTableLakeAndAlertsAndEachCrossingAlertsOnce(@TempDir Path data) throws Exception {
        int consumed;
        try (PipelineRunner app = PipelineRunner.start(properties(data))) {
            ExchangeCounter published = ExchangeCounter.sentTo(app.context(), "{{stream.uri}}");
            ExchangeCounter stored = ExchangeCounter.sentTo(app.context(), "direct:table-sink");
            assertThat(stored.await(40, Duration.ofSeconds(60))).as("40 quotes stored").isTrue();
            app.context().getRouteController().stopRoute("quote-fetch");
            app.close(); // graceful: drains the queue, flushes the lake batches
            consumed = published.count();
        }
        LocalData at = new LocalData(data);

        // Records in = stored + dead-lettered (none here); every symbol present; metrics recomputable.
        List<Map<String, Object>> rows = at.query("SELECT * FROM quotes ORDER BY symbol, timestamp");
        assertThat(rows).hasSize(consumed);
        assertThat(at.deadLetters("*")).isEmpty();
        assertThat(rows.stream().map(r -> r.get("symbol")).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(SYMBOLS);
        for (Map<String, Object> r : rows) {
            BigDecimal price = decimal(r.get("price"));
            BigDecimal prev = decimal(r.get("previous_close"));
            assertThat(decimal(r.get("change"))).isEqualByComparingTo(price.subtract(prev));
            BigDecimal pct = price.subtract(prev).multiply(BigDecimal.valueOf(100))
                    .divide(prev, 4, java.math.RoundingMode.HALF_EVEN);
            assertThat(decimal(r.get("change_percent"))).isEqualByComparingTo(pct);
            assertThat(((Number) r.get("anomaly")).intValue() == 1).isEqualTo(pct.abs().compareTo(BigDecimal.valueOf(5)) > 0);
        }

        // Lake: the contract layout, one line per stored record, nothing half-written.
        List<Path> lakeFiles = at.files("raw", "**");
        assertThat(lakeFiles).isNotEmpty().allSatisfy(f -> assertThat(data.relativize(f).toString())
                .matches("raw/dt=\\d{4}-\\d{2}-\\d{2}/ticker=[A-Z]+/part-\\d{8}T\\d{9}Z-[0-9a-f]{8}\\.json"));
        assertThat(lakeFiles.size()).as("batched, not one object per quote").isLessThan(rows.size());
        List<Map<String, Object>> lake = at.lakeRecords();
        assertThat(lake).hasSize(rows.size());
        Set<String> lakeKeys = lake.stream().map(m -> m.get("symbol") + "|" + m.get("timestamp") + "|"
                + new BigDecimal(m.get("price").toString()).stripTrailingZeros()).collect(Collectors.toSet());
        Set<String> rowKeys = rows.stream().map(r -> r.get("symbol") + "|" + r.get("timestamp") + "|"
                + decimal(r.get("price")).stripTrailingZeros()).collect(Collectors.toSet());
        assertThat(lakeKeys).isEqualTo(rowKeys);
        assertThat(lake.get(0).keySet()).containsExactly("symbol", "timestamp", "open", "high", "low", "price",
                "volume", "previous_close", "currency", "exchange_timezone");

        // Alerts: exactly one per crossing, recomputed independently from the stored rows.
        List<String> expected = crossings(rows);
        List<String> alerted = at.alerts().stream()
                .map(a -> a.get("symbol") + "|" + a.get("timestamp") + "|#" + a.get("crossing")).sorted().toList();
        assertThat(expected).as("the simulator makes a new crossing every 3 ticks").hasSizeGreaterThanOrEqualTo(2);
        assertThat(alerted).isEqualTo(expected);
    }

    @Test
    void aRestartOnTheSameDataDirectoryDuplicatesNeitherRowsNorAlerts(@TempDir Path data) throws Exception {
        Map<String, String> props = properties(data);
        try (PipelineRunner first = PipelineRunner.start(props)) {
            ExchangeCounter stored = ExchangeCounter.sentTo(first.context(), "direct:table-sink");
            assertThat(stored.await(20, Duration.ofSeconds(60))).isTrue();
        }
        LocalData at = new LocalData(data);
        List<Map<String, Object>> firstRows = at.query("SELECT * FROM quotes ORDER BY symbol, timestamp");
        List<Map<String, Object>> firstAlerts = at.alerts();
        assertThat(firstAlerts).isNotEmpty();

        // Second run: the stream replays every record of the first run (as Kinesis does after a restart
        // without a checkpoint), then the pipeline carries on with new quotes.
        List<Map<String, Object>> replay = at.lakeRecords();
        assertThat(replay).hasSize(firstRows.size());
        try (PipelineRunner second = PipelineRunner.start(props)) {
            ExchangeCounter replayed = ExchangeCounter.sentTo(second.context(), "direct:table-sink");
            var producer = second.context().createProducerTemplate();
            String stream = second.context().resolvePropertyPlaceholders("{{stream.uri}}");
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (Map<String, Object> record : replay) {
                producer.sendBodyAndHeader(stream, json.writeValueAsString(record),
                        "CamelAwsKinesisPartitionKey", record.get("symbol"));
            }
            assertThat(replayed.await(replay.size() + 10, Duration.ofSeconds(60))).isTrue();
        }
        List<Map<String, Object>> rows = at.query("SELECT * FROM quotes ORDER BY symbol, timestamp");
        assertThat(rows.size()).isGreaterThan(firstRows.size());
        assertThat(rows).containsAll(firstRows); // replayed keys unchanged, no duplicates (primary key)
        List<String> alerted = at.alerts().stream()
                .map(a -> a.get("symbol") + "|" + a.get("timestamp") + "|#" + a.get("crossing")).sorted().toList();
        assertThat(alerted).doesNotHaveDuplicates().isEqualTo(crossings(rows));
        assertThat(at.alerts().subList(0, firstAlerts.size())).isEqualTo(firstAlerts);
    }

    /** symbol|timestamp|#n for every move from within 5 % to beyond it, per symbol and UTC day. */
    static List<String> crossings(List<Map<String, Object>> rowsOrderedBySymbolAndTime) {
        List<String> out = new ArrayList<>();
        Map<String, Boolean> inAnomaly = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (Map<String, Object> r : rowsOrderedBySymbolAndTime) {
            String key = r.get("symbol") + "|" + r.get("timestamp").toString().substring(0, 10);
            boolean anomaly = ((Number) r.get("anomaly")).intValue() == 1;
            if (anomaly && !inAnomaly.getOrDefault(key, false)) {
                int n = count.merge(key, 1, Integer::sum);
                out.add(r.get("symbol") + "|" + r.get("timestamp") + "|#" + n);
            }
            inAnomaly.put(key, anomaly);
        }
        return out.stream().sorted().toList();
    }

    static BigDecimal decimal(Object v) {
        return new BigDecimal(v.toString());
    }
}
