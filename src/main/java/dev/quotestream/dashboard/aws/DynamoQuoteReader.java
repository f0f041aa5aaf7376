package dev.quotestream.dashboard.aws;

import dev.quotestream.dashboard.QuoteReader;
import dev.quotestream.dashboard.TableValues;
import dev.quotestream.dashboard.TimeBounds;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads processed records from DynamoDB with Query on the key (symbol, timestamp), never Scan.
 * {@code timestamp} is a reserved word: every expression names both key attributes through aliases.
 */
public class DynamoQuoteReader implements QuoteReader {

    static final Map<String, String> KEY_NAMES = Map.of("#sym", "symbol", "#ts", "timestamp");

    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoQuoteReader(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public List<Map<String, Object>> quotes(String symbol, Instant from, Instant to, int limit) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table)
                .keyConditionExpression("#sym = :sym AND #ts BETWEEN :from AND :to")
                .expressionAttributeNames(KEY_NAMES)
                .expressionAttributeValues(Map.of(":sym", AttributeValue.fromS(symbol),
                        ":from", AttributeValue.fromS(TimeBounds.lower(from)),
                        ":to", AttributeValue.fromS(TimeBounds.upper(to))))
                .scanIndexForward(true);
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamoDb.query(query.limit(limit - out.size()).exclusiveStartKey(start).build());
            page.items().forEach(item -> out.add(TableValues.quote(DynamoValues.plain(item))));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && out.size() < limit);
        return out;
    }

    @Override
    public Optional<Map<String, Object>> latest(String symbol) {
        QueryResponse r = dynamoDb.query(b -> b.tableName(table)
                .keyConditionExpression("#sym = :sym")
                .expressionAttributeNames(Map.of("#sym", "symbol"))
                .expressionAttributeValues(Map.of(":sym", AttributeValue.fromS(symbol)))
                .scanIndexForward(false)
                .limit(1));
        return r.items().stream().findFirst().map(item -> TableValues.quote(DynamoValues.plain(item)));
    }
}
