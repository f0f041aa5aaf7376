package dev.quotestream.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.quotestream.core.metrics.InvalidQuoteException;
import dev.quotestream.core.metrics.Quote;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stream record's bytes to a {@link Quote} (docs/data-contract.md §1, "Stream record"): at most
 * {@value #MAX_RECORD_BYTES} bytes of UTF-8 holding exactly one JSON object, no key twice, nothing after it;
 * numbers exactly as written (never through a double) and never replaced. Range checks follow in
 * {@link Quote#validated()}. Every rejection is poison: retrying cannot help.
 */
public final class QuoteDecoder {

    /** A quote is about 250 bytes; Kinesis allows 1 MiB. What is larger is not a quote. */
    public static final int MAX_RECORD_BYTES = 32 * 1024;

    public Quote decode(StreamRecord record) throws JsonProcessingException {
        return decode(record.data());
    }

    public Quote decode(byte[] data) throws JsonProcessingException {
        if (data == null || data.length == 0) {
            throw new InvalidQuoteException("record is empty");
        }
        if (data.length > MAX_RECORD_BYTES) {
            throw new InvalidQuoteException("record is " + data.length + " bytes, over the limit of "
                    + MAX_RECORD_BYTES + " bytes for one quote");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(data);
        } catch (MismatchedInputException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
                throw new InvalidQuoteException("record holds more than one JSON value: content follows the "
                        + "first one at " + location(e));
            }
            throw e;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading bytes in memory failed", e);
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidQuoteException("record is empty (white space only)");
        }
        if (!node.isObject()) {
            throw new InvalidQuoteException("record is not a JSON object but " + kind(node));
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> attributes.put(f.getKey(), value(f.getValue())));
        return Quote.fromAttributes(attributes);
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case NULL -> "null";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> node.getNodeType().name().toLowerCase();
        };
    }

    /** Strings, exact numbers, booleans and nulls as themselves; objects and arrays as Map and List. */
    private static Object value(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            node.fields().forEachRemaining(f -> m.put(f.getKey(), value(f.getValue())));
            return m;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(value(n)));
            return list;
        }
        return null;
    }
}
