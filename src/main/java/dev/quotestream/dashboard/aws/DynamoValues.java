package dev.quotestream.dashboard.aws;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** DynamoDB attribute values as plain Java values: S as String, N as BigDecimal, BOOL as Boolean. */
final class DynamoValues {

    private DynamoValues() {
    }

    static Map<String, Object> plain(Map<String, AttributeValue> item) {
        Map<String, Object> out = new LinkedHashMap<>();
        item.forEach((name, v) -> out.put(name, plain(v)));
        return out;
    }

    static Object plain(AttributeValue v) {
        if (v.s() != null) {
            return v.s();
        }
        if (v.n() != null) {
            return new BigDecimal(v.n());
        }
        if (v.bool() != null) {
            return v.bool();
        }
        if (Boolean.TRUE.equals(v.nul())) {
            return null;
        }
        return v.toString();
    }
}
