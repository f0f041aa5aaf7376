package dev.quotestream.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.quotestream.core.metrics.InvalidQuoteException;
import dev.quotestream.core.metrics.Quote;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stream record's bytes to a {@link Quote} (docs/data-contract.md §1, "Stream record"): at most
 * {@value #MAX_RECORD_BYTES} bytes of UTF-8 holding exactly one JSON object, no key twice, nothing after it;
 * numbers exactly as written (never through a double) and never replaced. Range checks follow in
 * {@link Quote#validated()}. Every rejection is poison: retrying cannot help.
 * <p>
 * The bytes are decoded here, strictly as UTF-8 (a leading UTF-8 byte order mark is skipped), and the JSON is read
 * from the text: given bytes, Jackson guesses UTF-16 or UTF-32 from the first four ({@code 7B 00 00 00}) and throws
 * an I/O exception that is no {@link JsonProcessingException}.
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
            node = Json.MAPPER.readTree(utf8(data));
        } catch (MismatchedInputException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
                throw new InvalidQuoteException("record holds more than one JSON value: content follows the "
                        + "first one at " + location(e));
            }
            throw e;
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

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** The record's text: strict UTF-8 (malformed bytes rejected, never replaced), without a leading byte order mark. */
    static String utf8(byte[] data) {
        int start = data.length >= 3 && data[0] == UTF8_BOM[0] && data[1] == UTF8_BOM[1] && data[2] == UTF8_BOM[2] ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(data, start, data.length - start);
        CharBuffer out = CharBuffer.allocate(data.length - start); // UTF-8 never has fewer bytes than UTF-16 chars
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isOverflow() || in.hasRemaining() && !result.isError()) {
            throw new IllegalStateException("UTF-8 decoding stopped at byte " + in.position() + " of " + data.length);
        }
        if (result.isError()) {
            StringBuilder bytes = new StringBuilder();
            for (int i = in.position(); i < in.position() + result.length(); i++) {
                bytes.append(bytes.isEmpty() ? "" : " ").append(String.format("0x%02X", data[i] & 0xFF));
            }
            throw new InvalidQuoteException("record is not UTF-8 text: Invalid UTF-8 at byte " + in.position() + " ("
                    + bytes + ")");
        }
        return out.flip().toString();
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
