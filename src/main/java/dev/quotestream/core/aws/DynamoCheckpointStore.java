package dev.quotestream.core.aws;

import dev.quotestream.core.CheckpointStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Kinesis checkpoints in the quotes table: symbol = {@code CHECKPOINT#<stream>}, timestamp = shard id. */
public class DynamoCheckpointStore implements CheckpointStore {

    public static final String KEY_PREFIX = "CHECKPOINT#";
    private final DynamoDbClient dynamoDb;
    private final String table;
    private final String stream;

    public DynamoCheckpointStore(DynamoDbClient dynamoDb, String table, String stream) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.stream = stream;
    }

    @Override
    public String load(String shard) {
        GetItemResponse r = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true).key(key(shard)));
        return r.hasItem() && r.item().containsKey("sequence_number") ? r.item().get("sequence_number").s() : null;
    }

    @Override
    public void save(String shard, String sequence) {
        Map<String, AttributeValue> item = new HashMap<>(key(shard));
        item.put("sequence_number", AttributeValue.fromS(sequence));
        item.put("updated_at", AttributeValue.fromS(Instant.now().toString()));
        dynamoDb.putItem(b -> b.tableName(table).item(item));
    }

    private Map<String, AttributeValue> key(String shard) {
        return Map.of("symbol", AttributeValue.fromS(KEY_PREFIX + stream), "timestamp", AttributeValue.fromS(shard));
    }
}
