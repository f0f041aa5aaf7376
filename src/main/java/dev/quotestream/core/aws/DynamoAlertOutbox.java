package dev.quotestream.core.aws;

import dev.quotestream.core.AlertOutbox;
import dev.quotestream.core.PendingAlert;
import dev.quotestream.core.metrics.AlertState;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Alert state and its outbox in the quotes table itself, at key (symbol = {@code ALERT#<symbol>}, timestamp =
 * trading day): '#' never occurs in a ticker, so these items cannot collide with quotes. A pending alert is an
 * attribute of that item, {@code pending_alert_<crossing>} (the message JSON), set by the same conditional
 * UpdateItem that flips the state, and removed once published. Every attribute name is aliased in expressions
 * ({@code timestamp} is a reserved word). A batch's states are read with BatchGetItem ({@link #loadAll}).
 */
public class DynamoAlertOutbox implements AlertOutbox {

    public static final String KEY_PREFIX = "ALERT#";
    public static final String PENDING_PREFIX = "pending_alert_";
    /** BatchGetItem's limit. */
    public static final int MAX_KEYS_PER_CALL = 100;
    private final DynamoDbClient dynamoDb;
    private final String table;
    private final int maxAttempts;
    private final long baseBackoffMs;
    private final long maxBackoffMs;

    public DynamoAlertOutbox(DynamoDbClient dynamoDb, String table) {
        this(dynamoDb, table, 8, 25, 2000);
    }

    /** @param maxAttempts BatchGetItem calls per 100 keys, the first included, before unprocessed keys are left out */
    public DynamoAlertOutbox(DynamoDbClient dynamoDb, String table, int maxAttempts, long baseBackoffMs,
                             long maxBackoffMs) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.maxAttempts = maxAttempts;
        this.baseBackoffMs = baseBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
    }

    @Override
    public AlertState load(String symbol, String tradingDay) {
        GetItemResponse r = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true).key(key(symbol, tradingDay)));
        if (!r.hasItem() || r.item().isEmpty()) {
            return null;
        }
        return state(symbol, tradingDay, r.item());
    }

    /**
     * The states of these symbol-days with BatchGetItem, {@value #MAX_KEYS_PER_CALL} keys per call, strongly
     * consistent ({@code ConsistentRead}: a flip another container wrote just before is seen). Keys a call leaves in
     * {@code UnprocessedKeys} are asked again with exponential backoff and jitter, as the table writer does for
     * unprocessed items; a key still unprocessed after the last attempt is left out of the answer (its next
     * {@link #load} reads it alone). No projection: the whole item is wanted, its {@code pending_alert_<n>}
     * attributes included, so the request has no expression (and no attribute name to alias).
     */
    @Override
    public Map<SymbolDay, Optional<AlertState>> loadAll(Collection<SymbolDay> symbolDays) {
        List<SymbolDay> distinct = new ArrayList<>(new LinkedHashSet<>(symbolDays));
        Map<SymbolDay, Optional<AlertState>> out = new LinkedHashMap<>();
        for (int from = 0; from < distinct.size(); from += MAX_KEYS_PER_CALL) {
            readChunk(distinct.subList(from, Math.min(distinct.size(), from + MAX_KEYS_PER_CALL)), out);
        }
        return out;
    }

    private void readChunk(List<SymbolDay> chunk, Map<SymbolDay, Optional<AlertState>> out) {
        Map<String, SymbolDay> byKey = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>(chunk.size());
        for (SymbolDay day : chunk) {
            Map<String, AttributeValue> key = key(day.symbol(), day.tradingDay());
            byKey.put(itemKey(key), day);
            keys.add(key);
        }
        for (int attempt = 1; ; attempt++) {
            List<Map<String, AttributeValue>> asked = keys;
            BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(Map.of(table,
                    KeysAndAttributes.builder().keys(asked).consistentRead(true).build())));
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                SymbolDay day = byKey.get(itemKey(item));
                if (day != null) {
                    out.put(day, Optional.of(state(day.symbol(), day.tradingDay(), item)));
                }
            }
            KeysAndAttributes left = response.hasUnprocessedKeys() ? response.unprocessedKeys().get(table) : null;
            keys = left == null || !left.hasKeys() ? List.of() : left.keys();
            if (keys.isEmpty() || attempt >= maxAttempts) {
                java.util.Set<String> unanswered = new java.util.HashSet<>();
                keys.forEach(k -> unanswered.add(itemKey(k)));
                // Answered without an item: nothing stored for that symbol-day.
                byKey.forEach((k, day) -> {
                    if (!unanswered.contains(k)) {
                        out.putIfAbsent(day, Optional.empty());
                    }
                });
                return;
            }
            Backoff.sleep(Backoff.millis(attempt, baseBackoffMs, maxBackoffMs), "unprocessed keys");
        }
    }

    private static String itemKey(Map<String, AttributeValue> item) {
        return item.get("symbol").s() + "\u0000" + item.get("timestamp").s();
    }

    private static AlertState state(String symbol, String tradingDay, Map<String, AttributeValue> item) {
        AttributeValue last = item.get("last_timestamp");
        TreeMap<Integer, String> pending = new TreeMap<>();
        item.forEach((name, value) -> {
            if (name.startsWith(PENDING_PREFIX) && value.s() != null) {
                pending.put(Integer.parseInt(name.substring(PENDING_PREFIX.length())), value.s());
            }
        });
        return new AlertState(symbol, tradingDay, item.get("in_anomaly").bool(),
                Integer.parseInt(item.get("crossings").n()), last == null ? null : last.s(), pending);
    }

    @Override
    /** The state and every alert of the change in one conditional UpdateItem. */
    public boolean replace(AlertState expected, AlertState next, List<PendingAlert> alerts) {
        Map<String, String> names = new HashMap<>(Map.of("#in", "in_anomaly", "#crossings", "crossings",
                "#last", "last_timestamp"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":in", AttributeValue.fromBool(next.inAnomaly()),
                ":crossings", AttributeValue.fromN(Integer.toString(next.crossings())),
                ":last", AttributeValue.fromS(next.lastTimestamp())));
        String update = "SET #in = :in, #crossings = :crossings, #last = :last";
        for (int i = 0; i < alerts.size(); i++) {
            PendingAlert alert = alerts.get(i);
            names.put("#pending" + i, PENDING_PREFIX + alert.crossing());
            values.put(":pending" + i, AttributeValue.fromS(alert.json()));
            update += ", #pending" + i + " = :pending" + i;
        }
        String condition;
        if (expected == null) {
            condition = "attribute_not_exists(#symbol)";
            names.put("#symbol", "symbol"); // DynamoDB rejects a name the expressions do not use
        } else {
            condition = "#last = :previous";
            values.put(":previous", AttributeValue.fromS(expected.lastTimestamp()));
        }
        try {
            dynamoDb.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(key(next.symbol(), next.tradingDay()))
                    .updateExpression(update).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values).build());
            return true;
        } catch (ConditionalCheckFailedException raced) {
            return false;
        }
    }

    /** One UpdateItem per symbol-day: {@code REMOVE} each of its alerts' attributes. */
    @Override
    public void markSent(List<PendingAlert> alerts) {
        Map<String, List<PendingAlert>> bySymbolDay = new java.util.LinkedHashMap<>();
        alerts.forEach(a -> bySymbolDay.computeIfAbsent(a.symbol() + "|" + a.tradingDay(), k -> new ArrayList<>()).add(a));
        for (List<PendingAlert> sameItem : bySymbolDay.values()) {
            Map<String, String> names = new HashMap<>();
            names.put("#symbol", "symbol");
            List<String> removed = new ArrayList<>();
            for (PendingAlert alert : sameItem) {
                String alias = "#p" + alert.crossing();
                if (names.put(alias, PENDING_PREFIX + alert.crossing()) == null) {
                    removed.add(alias);
                }
            }
            PendingAlert any = sameItem.get(0);
            try {
                dynamoDb.updateItem(b -> b.tableName(table).key(key(any.symbol(), any.tradingDay()))
                        .updateExpression("REMOVE " + String.join(", ", removed))
                        .conditionExpression("attribute_exists(#symbol)")
                        .expressionAttributeNames(names));
            } catch (ConditionalCheckFailedException gone) {
                // no state item: nothing pending
            }
        }
    }

    @Override
    public List<PendingAlert> pending(Collection<String> symbols, String fromDay, String toDay) {
        List<PendingAlert> out = new ArrayList<>();
        for (String symbol : symbols) {
            QueryRequest query = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#symbol = :symbol AND #day BETWEEN :from AND :to")
                    .expressionAttributeNames(Map.of("#symbol", "symbol", "#day", "timestamp"))
                    .expressionAttributeValues(Map.of(":symbol", AttributeValue.fromS(KEY_PREFIX + symbol),
                            ":from", AttributeValue.fromS(fromDay), ":to", AttributeValue.fromS(toDay)))
                    .build();
            dynamoDb.queryPaginator(query).items().forEach(item -> {
                String day = item.get("timestamp").s();
                state(symbol, day, item).pending().forEach((crossing, json) ->
                        out.add(new PendingAlert(symbol, day, crossing, json)));
            });
        }
        return out;
    }

    private static Map<String, AttributeValue> key(String symbol, String tradingDay) {
        return Map.of("symbol", AttributeValue.fromS(KEY_PREFIX + symbol), "timestamp", AttributeValue.fromS(tradingDay));
    }
}
