package dev.quotestream.core;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one dead-letter record (docs/data-contract.md §6), whoever writes it: the fetch route, the processing route
 * or the Lambda. Same fields in the same order; the root cause's type; the input capped at
 * {@value #INPUT_CAP_BYTES} bytes, with its full size and SHA-256; and a deterministic key, so that writing the
 * same dead letter again (a redelivered record, a retried write) overwrites instead of adding a second one.
 *
 * @param symbol   the quote's symbol, or the stream's partition key when the record could not be decoded
 * @param shardId  the stream position of a stream record (null for a fetch)
 * @param arrival  when the stream received the record: the key's date, the same on every redelivery
 */
public record DeadLetter(Instant failedAt, String stage, String symbol, String reason, String errorType,
                         Integer httpStatus, String shardId, String sequenceNumber, Instant arrival, byte[] input) {

    /** What a dead letter keeps of its input as text; beyond it, the size and the SHA-256 identify the input. */
    public static final int INPUT_CAP_BYTES = 64 * 1024;
    public static final int MAX_REASON_LENGTH = 2000;
    public static final String CONTENT_TYPE = ObjectKinds.DEAD_LETTER.contentType();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmssSSS").withZone(ZoneOffset.UTC);

    /** A stream record that was rejected. */
    public static DeadLetter ofRecord(Instant failedAt, String stage, String symbol, Throwable failure,
                                      StreamRecord record) {
        return new DeadLetter(failedAt, stage, symbol != null ? symbol : record.partitionKey(), reason(failure),
                errorType(failure), null, record.shard(), record.sequence(), record.arrival(), record.data());
    }

    /** Anything else: a fetch's answer, an alert; {@code reason} already worded. */
    public static DeadLetter of(Instant failedAt, String stage, String symbol, String reason, String errorType,
                                Integer httpStatus, String input) {
        return new DeadLetter(failedAt, stage, symbol, reason, errorType, httpStatus, null, null, null,
                input == null ? null : input.getBytes(StandardCharsets.UTF_8));
    }

    /** The record, in contract order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("failed_at", failedAt.toString());
        m.put("stage", stage);
        m.put("symbol", symbol);
        m.put("reason", reason == null ? null
                : reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH) + "…");
        m.put("error_type", errorType);
        m.put("http_status", httpStatus);
        m.put("shard_id", shardId);
        m.put("sequence_number", sequenceNumber);
        m.put("input", input == null ? null : text(input, INPUT_CAP_BYTES));
        m.put("input_bytes", input == null ? 0 : input.length);
        m.put("input_sha256", input == null ? null : sha256(input));
        m.put("input_truncated", input != null && input.length > INPUT_CAP_BYTES);
        return m;
    }

    public String json() {
        return Json.write(toMap());
    }

    /**
     * {@code <prefix>/dt=<day>/<stage>/<name>.json}. A stream record is named by its position
     * ({@code <shard id>-<sequence number>}, day of its arrival); anything else by the UTC time of the failure and
     * a hash of the record's content.
     */
    public String key(String prefix) {
        String root = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (shardId != null && sequenceNumber != null) {
            Instant day = arrival != null ? arrival : failedAt;
            return root + "/dt=" + day.atZone(ZoneOffset.UTC).toLocalDate() + "/" + stage + "/"
                    + safe(shardId) + "-" + safe(sequenceNumber) + ".json";
        }
        String content = failedAt + "\n" + stage + "\n" + symbol + "\n" + reason + "\n"
                + (input == null ? "" : sha256(input));
        return root + "/dt=" + failedAt.atZone(ZoneOffset.UTC).toLocalDate() + "/" + stage + "/"
                + TIME.format(failedAt) + "-" + sha256(content.getBytes(StandardCharsets.UTF_8)).substring(0, 16)
                + ".json";
    }

    private static String safe(String part) {
        return part.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Exceptions that only carry another one (the engine's and the JDK's), by name: this class imports no Camel. */
    private static final java.util.Set<String> WRAPPERS = java.util.Set.of(
            "org.apache.camel.RuntimeCamelException", "org.apache.camel.CamelExecutionException",
            "org.apache.camel.RuntimeExchangeException", "org.apache.camel.ExpressionEvaluationException",
            "org.apache.camel.language.bean.RuntimeBeanExpressionException", "org.apache.camel.RuntimeExpressionException",
            "java.util.concurrent.ExecutionException", "java.util.concurrent.CompletionException",
            "java.lang.reflect.InvocationTargetException", "java.lang.reflect.UndeclaredThrowableException");

    /**
     * The root cause: what actually went wrong, not the wrappers around it. A wrapper is an engine's or the JDK's
     * carrier exception, or a throwable that says nothing of its own (no message, or its cause's text as its
     * message: {@code new RuntimeException(cause)}); a throwable with a message of its own is the cause it names.
     */
    public static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t != null && t.getCause() != null && t.getCause() != t
                && (WRAPPERS.contains(t.getClass().getName()) || t.getMessage() == null
                || t.getMessage().equals(t.getCause().toString()))) {
            t = t.getCause();
        }
        return t;
    }

    public static String errorType(Throwable failure) {
        return failure == null ? null : rootCause(failure).getClass().getName();
    }

    /** The root cause's message, prefixed with its type unless it is one of ours and speaks for itself. */
    public static String reason(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        Throwable root = rootCause(failure);
        String message = root.getMessage();
        String type = root.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return type;
        }
        return message.startsWith("invalid") || message.startsWith("Yahoo") || message.startsWith("record")
                ? message : type + ": " + message;
    }

    /** The first {@code maxBytes} bytes as UTF-8 text, never cutting a character in two. */
    static String text(byte[] bytes, int maxBytes) {
        int length = Math.min(bytes.length, maxBytes);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer out = CharBuffer.allocate(length + 1);
        decoder.decode(ByteBuffer.wrap(bytes, 0, length), out, length == bytes.length);
        if (length == bytes.length) {
            decoder.flush(out);
        }
        out.flip();
        return out.toString();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
