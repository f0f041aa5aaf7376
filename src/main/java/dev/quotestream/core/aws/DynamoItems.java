package dev.quotestream.core.aws;

import dev.quotestream.core.metrics.ProcessedQuote;
import dev.quotestream.core.TableItemEncoder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** The processed record as a DynamoDB item: numbers as N (exact decimal), anomaly as BOOL. */
public class DynamoItems implements TableItemEncoder {

    @Override
    public Map<String, AttributeValue> encode(ProcessedQuote quote) {
        return item(quote.toAttributes());
    }

    public static Map<String, AttributeValue> item(Map<String, Object> attributes) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        attributes.forEach((name, value) -> item.put(name, value(value)));
        return item;
    }

    static AttributeValue value(Object v) {
        if (v == null) {
            return AttributeValue.fromNul(true); // currency: Yahoo gives none for some listings
        }
        if (v instanceof BigDecimal d) {
            return AttributeValue.fromN(d.toPlainString());
        }
        if (v instanceof Number n) {
            return AttributeValue.fromN(n.toString());
        }
        if (v instanceof Boolean b) {
            return AttributeValue.fromBool(b);
        }
        return AttributeValue.fromS(String.valueOf(v));
    }
}
