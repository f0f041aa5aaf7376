package dev.quotestream.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.quotestream.aws.AwsBootstrap;
import dev.quotestream.aws.LoopbackProfile;
import dev.quotestream.core.aws.AwsClients;
import dev.quotestream.pipeline.PipelineRunner;
import dev.quotestream.testing.LoopbackAws;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One aws-profile scenario: its own stream, table, bucket and topic on the loopback servers, the records it writes
 * to the stream ({@link ScenarioQuotes}, straight to kinesis-local, never through a proxy it takes down), and the
 * invariants read at rest: records in = stored + dead-lettered, every stored quote is in the lake, no alert lost
 * (every crossing of the stored quotes published with its key), no table duplicate.
 */
final class AwsScenario implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final LoopbackProfile resources;
    final ScenarioQuotes quotes;
    final Path data;
    private final KinesisClient kinesis;
    private final DynamoDbClient dynamoDb;
    private final S3Client s3;
    private int written;

    AwsScenario(String name, ScenarioQuotes quotes, Path data) {
        LoopbackAws aws = LoopbackAws.shared();
        this.resources = LoopbackProfile.forTest(aws, name);
        this.quotes = quotes;
        this.data = data;
        AwsClients clients = LoopbackProfile.clients(aws);
        this.kinesis = LoopbackProfile.kinesis(clients);
        this.dynamoDb = clients.dynamoDb();
        this.s3 = clients.s3();
        AwsBootstrap.ensureStream(kinesis, resources.stream(), 1);
        AwsBootstrap.ensureTable(dynamoDb, resources.table());
        AwsBootstrap.ensureBucket(s3, resources.bucket());
    }

    /** The aws profile on this scenario's resources: no fetching, fast retries and flushes. */
    Map<String, String> properties() throws IOException {
        Map<String, String> p = new LinkedHashMap<>(PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort()));
        p.putAll(resources.properties());
        p.put("camel.main.profile", "aws");
        p.put("pipeline.fetch-in-camel", "false");
        // As in production: the resources exist (made above), nothing is created at startup, which then needs no S3.
        p.put("aws.bootstrap", "false");
        p.put("report.schedule-enabled", "false");
        p.put("dashboard.enabled", "false");
        // Scenarios run side by side in one JVM: a context name of their own (Quartz names its scheduler by it).
        p.put("camel.main.name", "qp-" + resources.stream());
        p.put("pipeline.redelivery-delay-ms", "200");
        p.put("pipeline.max-redelivery-delay-ms", "2000");
        p.put("pipeline.retry-error-after-ms", "20000");
        p.put("lake.flush-interval-ms", "1000");
        p.put("alerts.relay-period-ms", "500");
        p.put("alerts.relay-initial-backoff-ms", "500");
        p.put("alerts.relay-max-backoff-ms", "5000");
        p.put("aws.sdk-max-attempts", "2");
        // The symbols this instance processes: at startup, the alert relay reads their pending alerts.
        p.put("quotes.symbols", quotes.symbols());
        return p;
    }

    /** Writes the next {@code n} records; returns how many were written in all. */
    synchronized int write(int n) {
        for (int k = 0; k < n; k++) {
            int i = written++;
            byte[] record = quotes.record(i);
            kinesis.putRecord(b -> b.streamName(resources.stream()).partitionKey(quotes.symbol(i))
                    .data(SdkBytes.fromByteArray(record)));
        }
        return written;
    }

    synchronized int written() {
        return written;
    }

    int poisonWritten() {
        int n = 0;
        for (int i = 0; i < written(); i++) {
            n += quotes.poison(i) ? 1 : 0;
        }
        return n;
    }

    // ---- data at rest ------------------------------------------------------------------------------------------

    Map<String, Map<String, AttributeValue>> items() {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        dynamoDb.scanPaginator(b -> b.tableName(resources.table()).consistentRead(true)).items().forEach(i -> {
            if (!i.get("symbol").s().contains("#")) {
                items.put(i.get("symbol").s() + "|" + i.get("timestamp").s(), i);
            }
        });
        return items;
    }

    Map<String, Map<String, AttributeValue>> alertStates() {
        Map<String, Map<String, AttributeValue>> states = new TreeMap<>();
        dynamoDb.scanPaginator(b -> b.tableName(resources.table()).consistentRead(true)).items().forEach(i -> {
            if (i.get("symbol").s().startsWith("ALERT#")) {
                states.put(i.get("symbol").s() + "|" + i.get("timestamp").s(), i);
            }
        });
        return states;
    }

    /** Lake lines' keys (symbol|timestamp), with repeats. */
    List<String> lakeKeys() {
        List<String> keys = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(resources.bucket()).prefix("raw/")).contents()) {
            String content = s3.getObjectAsBytes(b -> b.bucket(resources.bucket()).key(o.key())).asUtf8String();
            for (String line : content.split("\n")) {
                try {
                    Map<?, ?> m = JSON.readValue(line, Map.class);
                    keys.add(m.get("symbol") + "|" + m.get("timestamp"));
                } catch (IOException e) {
                    throw new UncheckedIOException("a lake line is not JSON: " + line, e);
                }
            }
        }
        return keys;
    }

    /**
     * Dead letters in the bucket, plus those the sink could not take, in the local fallback (never lost), by key: a
     * record dead-lettered to the fallback during an S3 outage and again to S3 after a restart re-read it is one.
     */
    List<String> deadLetters() {
        Set<String> keys = new TreeSet<>();
        s3.listObjectsV2Paginator(b -> b.bucket(resources.bucket()).prefix("dead-letter/")).contents()
                .forEach(o -> keys.add(o.key()));
        keys.addAll(fallbackDeadLetters());
        return new ArrayList<>(keys);
    }

    List<String> fallbackDeadLetters() {
        Path fallback = data.resolve("dead-letter-fallback");
        if (!Files.isDirectory(fallback)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(fallback)) {
            return files.filter(Files::isRegularFile).map(p -> fallback.relativize(p).toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** alert_key of every Publish SNS answered 200, in order (a repeat is a duplicate). */
    List<String> deliveredAlertKeys() {
        List<String> keys = new ArrayList<>();
        for (ServeEvent e : resources.topic().publishEvents()) {
            if (e.getResponse().getStatus() != 200) {
                continue;
            }
            Map<String, String> form = form(e.getRequest().getBodyAsString());
            for (int i = 1; form.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
                if (form.get("MessageAttributes.entry." + i + ".Name").equals("alert_key")) {
                    keys.add(form.get("MessageAttributes.entry." + i + ".Value.StringValue"));
                }
            }
        }
        return keys;
    }

    /** The crossings the stored quotes make, as alert keys (SYMBOL|day|n), recomputed independently. */
    Set<String> expectedAlertKeys(Map<String, Map<String, AttributeValue>> items) {
        Set<String> keys = new TreeSet<>();
        Map<String, Boolean> in = new HashMap<>();
        Map<String, Integer> count = new HashMap<>();
        for (Map<String, AttributeValue> i : items.values()) { // sorted by symbol|timestamp
            String day = i.get("timestamp").s().substring(0, 10); // New York and UTC share the day at these hours
            String symbolDay = i.get("symbol").s() + "|" + day;
            boolean anomaly = i.get("anomaly").bool();
            if (anomaly && !in.getOrDefault(symbolDay, false)) {
                keys.add(symbolDay + "|" + count.merge(symbolDay, 1, Integer::sum));
            }
            in.put(symbolDay, anomaly);
        }
        return keys;
    }

    /** The invariants, as figures; {@link Invariants#hold} says whether they hold. */
    Invariants invariants() {
        Map<String, Map<String, AttributeValue>> items = items();
        List<String> lake = lakeKeys();
        List<String> dead = deadLetters();
        List<String> delivered = deliveredAlertKeys();
        Set<String> expected = expectedAlertKeys(items);
        Set<String> lakeSet = new TreeSet<>(lake);
        List<String> missingFromLake = items.keySet().stream().filter(k -> !lakeSet.contains(k)).toList();
        Set<String> deliveredSet = new TreeSet<>(delivered);
        List<String> lostAlerts = expected.stream().filter(k -> !deliveredSet.contains(k)).toList();
        long pending = alertStates().values().stream().mapToLong(s -> s.keySet().stream()
                .filter(a -> a.startsWith("pending_alert_")).count()).sum();
        // Every valid record has a key of its own: stored records = items, and a duplicate item cannot hide.
        int valid = written() - poisonWritten();
        return new Invariants(written(), items.size(), items.size(), valid, dead.size(), fallbackDeadLetters().size(),
                lake.size(), missingFromLake, expected.size(), delivered.size(), delivered.size() - deliveredSet.size(),
                lostAlerts, pending);
    }

    /**
     * @param recordsIn        records written to the stream
     * @param stored           records stored (their quote's key is a table item)
     * @param tableItems       table items: as many as distinct stored keys, or there is a duplicate
     * @param distinctKeys     distinct keys of the stored records
     * @param duplicateAlerts  deliveries of an alert key already delivered
     */
    record Invariants(int recordsIn, int stored, int tableItems, int distinctKeys, int deadLettered,
                      int deadLetteredToFallback, int lakeLines, List<String> missingFromLake, int expectedAlerts,
                      int deliveredAlerts, int duplicateAlerts, List<String> lostAlerts, long pendingAlerts) {
        boolean hold() {
            return recordsIn == stored + deadLettered && tableItems == distinctKeys && missingFromLake.isEmpty()
                    && lostAlerts.isEmpty() && pendingAlerts == 0;
        }

        String figures() {
            return String.format("in %d = stored %d + dead-lettered %d (fallback %d); table items %d for %d keys; "
                            + "lake lines %d, stored quotes missing from the lake %d; alerts: %d crossings, %d delivered "
                            + "(%d duplicates), %d lost, %d pending", recordsIn, stored, deadLettered,
                    deadLetteredToFallback, tableItems, distinctKeys, lakeLines, missingFromLake.size(), expectedAlerts,
                    deliveredAlerts, duplicateAlerts, lostAlerts.size(), pendingAlerts);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    static String describe(Map<String, Map<String, AttributeValue>> items) {
        return items.keySet().stream().limit(5).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        resources.close();
        kinesis.close();
        dynamoDb.close();
        s3.close();
    }
}
