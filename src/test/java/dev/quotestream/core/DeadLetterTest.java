package dev.quotestream.core;

import com.fasterxml.jackson.core.JsonParseException;
import dev.quotestream.core.metrics.InvalidQuoteException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The one dead-letter record: field order, root cause, capped input, deterministic keys. */
class DeadLetterTest {

    static final Instant ARRIVAL = Instant.parse("2026-11-25T14:40:01Z");

    @Test
    void aStreamRecordsDeadLetterIsKeyedByItsPositionSoARedeliveryOverwritesIt() {
        StreamRecord record = new StreamRecord("shardId-000000000001", "4959", "MSFT", "{\"symbol\":".getBytes(), ARRIVAL);
        DeadLetter first = DeadLetter.ofRecord(Instant.parse("2026-11-26T08:00:00Z"), "quote-process", null,
                new RuntimeException(new InvalidQuoteException("invalid quote MSFT: price is missing")), record);
        DeadLetter again = DeadLetter.ofRecord(Instant.parse("2026-11-27T09:30:00Z"), "quote-process", null,
                new InvalidQuoteException("invalid quote MSFT: price is missing"), record);
        assertThat(first.key("dead-letter")).isEqualTo("dead-letter/dt=2026-11-25/quote-process/shardId-000000000001-4959.json")
                .isEqualTo(again.key("dead-letter/"));
        Map<String, Object> m = first.toMap();
        assertThat(m.keySet()).containsExactly("failed_at", "stage", "symbol", "reason", "error_type", "http_status",
                "shard_id", "sequence_number", "input", "input_bytes", "input_sha256", "input_truncated");
        assertThat(m).containsEntry("symbol", "MSFT") // the partition key: the record was not decodable
                .containsEntry("reason", "invalid quote MSFT: price is missing")
                .containsEntry("error_type", InvalidQuoteException.class.getName()) // the root cause, not the wrapper
                .containsEntry("input", "{\"symbol\":").containsEntry("input_bytes", 10)
                .containsEntry("input_truncated", false);
        assertThat((String) m.get("input_sha256")).hasSize(64);
    }

    @Test
    void aHugeInputIsKeptCappedWithItsSizeAndHash() {
        byte[] tenMegabytes = "x".repeat(10 * 1024 * 1024).getBytes(StandardCharsets.UTF_8);
        DeadLetter letter = DeadLetter.of(Instant.now(), "quote-fetch", "BIG", "too big", null, null,
                new String(tenMegabytes, StandardCharsets.UTF_8));
        Map<String, Object> m = letter.toMap();
        assertThat((String) m.get("input")).hasSize(DeadLetter.INPUT_CAP_BYTES);
        assertThat(m).containsEntry("input_bytes", 10 * 1024 * 1024).containsEntry("input_truncated", true)
                .containsEntry("input_sha256", DeadLetter.sha256(tenMegabytes));
        assertThat(letter.json().length()).isLessThan(DeadLetter.INPUT_CAP_BYTES + 1000);
    }

    @Test
    void aCutNeverSplitsACharacter() {
        String text = "é".repeat(DeadLetter.INPUT_CAP_BYTES); // two bytes each
        String kept = DeadLetter.text(text.getBytes(StandardCharsets.UTF_8), 5);
        assertThat(kept).isEqualTo("éé");
    }

    @Test
    void otherDeadLettersAreKeyedByTheirContentSoARetriedWriteOverwritesIt() {
        Instant at = Instant.parse("2026-11-25T14:41:02.120Z");
        DeadLetter a = DeadLetter.of(at, "quote-fetch", "ZZZZ", "HTTP 404", "x.Http", 404, "{}");
        DeadLetter b = DeadLetter.of(at, "quote-fetch", "ZZZZ", "HTTP 404", "x.Http", 404, "{}");
        assertThat(a.key("dead-letter")).isEqualTo(b.key("dead-letter"))
                .matches("dead-letter/dt=2026-11-25/quote-fetch/144102120-[0-9a-f]{16}\\.json");
        assertThat(DeadLetter.of(at.plusMillis(1), "quote-fetch", "ZZZZ", "HTTP 404", "x.Http", 404, "{}").key("dead-letter"))
                .isNotEqualTo(a.key("dead-letter"));
    }

    @Test
    void theReasonNamesTheRootCause() {
        assertThat(DeadLetter.reason(new IllegalStateException(new JsonParseException(null, "Unexpected character"))))
                .startsWith("JsonParseException: Unexpected character");
        assertThat(DeadLetter.reason(new InvalidQuoteException("invalid quote X: y"))).isEqualTo("invalid quote X: y");
        assertThat(DeadLetter.reason(new java.net.SocketTimeoutException())).isEqualTo("SocketTimeoutException");
    }
}
