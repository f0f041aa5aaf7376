package dev.quotestream.lambda;

import dev.quotestream.metrics.AlertState;
import dev.quotestream.pipeline.AlertStateStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.util.Map;

/**
 * Alert de-duplication state in the quotes table (key symbol=ALERT#&lt;symbol&gt;, timestamp=&lt;trading day&gt;),
 * written compare-and-set on last_timestamp so two processors cannot both alert the same crossing.
 */
public class DynamoAlertStateStore implements AlertStateStore {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoAlertStateStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public AlertState load(String symbol, String tradingDay) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table)
                .key(DynamoItems.alertKey(symbol, tradingDay)).consistentRead(true)).item();
        return DynamoItems.alertState(symbol, tradingDay, item);
    }

    @Override
    public boolean replace(AlertState expected, AlertState next) {
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(DynamoItems.alertItem(next));
        if (expected == null || expected.lastTimestamp() == null) {
            put.conditionExpression("attribute_not_exists(#last)")
                    .expressionAttributeNames(Map.of("#last", "last_timestamp"));
        } else {
            put.conditionExpression("#last = :expected")
                    .expressionAttributeNames(Map.of("#last", "last_timestamp"))
                    .expressionAttributeValues(Map.of(":expected", AttributeValue.fromS(expected.lastTimestamp())));
        }
        try {
            dynamoDb.putItem(put.build());
            return true;
        } catch (ConditionalCheckFailedException lostRace) {
            return false;
        }
    }
}
