package dev.quotestream.aws;

import dev.quotestream.metrics.AlertState;
import dev.quotestream.pipeline.AlertStateStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.util.HashMap;
import java.util.Map;

/**
 * Alert state in the quotes table itself, at key (symbol = {@code ALERT#<symbol>}, timestamp = trading day):
 * '#' never occurs in a ticker, so these items cannot collide with quotes. Writes are conditional.
 */
public class DynamoAlertStateStore implements AlertStateStore {

    public static final String KEY_PREFIX = "ALERT#";
    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoAlertStateStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public AlertState load(String symbol, String tradingDay) {
        GetItemResponse r = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true).key(key(symbol, tradingDay)));
        if (!r.hasItem() || r.item().isEmpty()) {
            return null;
        }
        Map<String, AttributeValue> item = r.item();
        AttributeValue last = item.get("last_timestamp");
        return new AlertState(symbol, tradingDay, item.get("in_anomaly").bool(),
                Integer.parseInt(item.get("crossings").n()), last == null ? null : last.s());
    }

    @Override
    public boolean replace(AlertState expected, AlertState next) {
        Map<String, AttributeValue> item = new HashMap<>(key(next.symbol(), next.tradingDay()));
        item.put("in_anomaly", AttributeValue.fromBool(next.inAnomaly()));
        item.put("crossings", AttributeValue.fromN(Integer.toString(next.crossings())));
        item.put("last_timestamp", AttributeValue.fromS(next.lastTimestamp()));
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(item);
        if (expected == null) {
            put.conditionExpression("attribute_not_exists(symbol)");
        } else {
            put.conditionExpression("last_timestamp = :previous")
                    .expressionAttributeValues(Map.of(":previous", AttributeValue.fromS(expected.lastTimestamp())));
        }
        try {
            dynamoDb.putItem(put.build());
            return true;
        } catch (ConditionalCheckFailedException raced) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String symbol, String tradingDay) {
        return Map.of("symbol", AttributeValue.fromS(KEY_PREFIX + symbol), "timestamp", AttributeValue.fromS(tradingDay));
    }
}
