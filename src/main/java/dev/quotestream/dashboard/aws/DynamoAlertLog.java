package dev.quotestream.dashboard.aws;

import dev.quotestream.dashboard.AlertJson;
import dev.quotestream.dashboard.AlertLog;
import dev.quotestream.dashboard.TableValues;
import dev.quotestream.dashboard.TimeBounds;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alert log of the aws profile, in the quotes table: one item per alert at
 * (symbol = {@code ALERTLOG#<UTC date of the alert's timestamp>}, timestamp = {@code <timestamp>#<symbol>#<crossing>}),
 * the alert message as sent in {@code alert} (S). '#' never occurs in a ticker, so these items cannot collide
 * with quotes. Reading is one Query per UTC day, newest first, with aliased key names.
 */
public class DynamoAlertLog implements AlertLog {

    public static final String KEY_PREFIX = "ALERTLOG#";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;
    private final dev.quotestream.core.aws.DynamoTableWriter writer;

    public DynamoAlertLog(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
        this.writer = new dev.quotestream.core.aws.DynamoTableWriter(dynamoDb, table);
    }

    /** BatchWriteItem, 25 items per call (the table writer's); any item not written fails the whole call. */
    @Override
    public void appendAll(List<String> alertJsons) {
        List<Map<String, AttributeValue>> items = new ArrayList<>(alertJsons.size());
        String loggedAt = Instant.now(clock).toString();
        for (String alertJson : alertJsons) {
            Map<String, Object> alert = AlertJson.parse(alertJson);
            String day = Instant.parse((String) alert.get("timestamp")).atZone(ZoneOffset.UTC).toLocalDate().toString();
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put("symbol", AttributeValue.fromS(KEY_PREFIX + day));
            item.put("timestamp", AttributeValue.fromS(AlertJson.sortKey(alert)));
            item.put("alert", AttributeValue.fromS(alertJson));
            item.put("alert_symbol", AttributeValue.fromS((String) alert.get("symbol")));
            item.put("logged_at", AttributeValue.fromS(loggedAt));
            items.add(item);
        }
        Map<String, RuntimeException> failed = writer.writeItems(items);
        if (!failed.isEmpty()) {
            RuntimeException first = failed.values().iterator().next();
            throw new IllegalStateException(failed.size() + " of " + items.size() + " alert-log items not written: "
                    + first.getMessage(), first);
        }
    }

    @Override
    public List<Map<String, Object>> since(Instant since, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        LocalDate first = since.atZone(ZoneOffset.UTC).toLocalDate();
        // One day ahead of the clock: a market time slightly ahead of this host's clock is still found.
        LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(1);
        for (; !day.isBefore(first) && out.size() < limit; day = day.minusDays(1)) {
            Map<String, AttributeValue> start = null;
            do {
                final Map<String, AttributeValue> from = start;
                final String pk = KEY_PREFIX + day;
                int want = limit - out.size();
                QueryResponse page = dynamoDb.query(b -> b.tableName(table)
                        .keyConditionExpression("#sym = :pk AND #ts >= :since")
                        .expressionAttributeNames(DynamoQuoteReader.KEY_NAMES)
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                                ":since", AttributeValue.fromS(TimeBounds.lower(since))))
                        .scanIndexForward(false)
                        .limit(want)
                        .exclusiveStartKey(from));
                for (Map<String, AttributeValue> item : page.items()) {
                    out.add(TableValues.alert(read(item.get("alert").s())));
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && out.size() < limit);
        }
        return out;
    }

    private static Map<String, Object> read(String json) {
        try {
            return AlertJson.read(json);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable alert in the alert log", e);
        }
    }
}
