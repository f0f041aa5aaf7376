package dev.quotestream.core;

import dev.quotestream.core.BatchProcessorTest.CountingOutbox;
import dev.quotestream.core.BatchProcessorTest.MemoryDeadLetters;
import dev.quotestream.core.BatchProcessorTest.MemoryLake;
import dev.quotestream.core.BatchProcessorTest.MemoryPublisher;
import dev.quotestream.core.BatchProcessorTest.MemoryTable;
import dev.quotestream.core.metrics.QuoteMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Records that broke the decoder or the bounds with something else than a rejection (review of the poison rule,
 * docs/data-contract.md §1): bytes that Jackson's encoding detection took for UTF-32, numbers whose exponent made
 * BigInteger overflow (or compute for seconds). Each must be poison, dead-lettered once with its reason, and cost
 * only itself: records in = stored + dead-lettered. Before: they failed as transient, so the route retried the
 * batch forever and the Lambda retried them, then sent the batch to its failure queue.
 */
class PoisonRecordTest {

    private final MemoryTable table = new MemoryTable();
    private final MemoryDeadLetters deadLetters = new MemoryDeadLetters();
    private final CachedAlertOutbox cached = new CachedAlertOutbox(new CountingOutbox(), 10_000);
    private final Clock clock = Clock.systemUTC();
    private final BatchProcessor processor = new BatchProcessor(new QuoteMetrics(), Failures.inputOnly(),
            new AlertGate(cached, new BigDecimal("5")),
            new AlertRelay(cached, clock, Duration.ofSeconds(1), Duration.ofSeconds(30), List::of), table,
            new MemoryPublisher(), new MemoryLake(), deadLetters, new LakeLayout("raw"), clock, 2, BatchEvents.NONE);
    private int sequence = 1000;

    @AfterEach
    void close() {
        processor.close();
    }

    private static String quote(String symbol, String replace, String with) {
        String q = "{\"symbol\":\"" + symbol + "\",\"timestamp\":\"2026-11-25T14:40:00Z\",\"open\":100,\"high\":130,"
                + "\"low\":80,\"price\":101,\"volume\":1000,\"previous_close\":100,\"currency\":\"USD\","
                + "\"exchange_timezone\":\"America/New_York\"}";
        return replace == null ? q : q.replace(replace, with);
    }

    private StreamRecord record(String key, byte[] data) {
        return new StreamRecord("shardId-000000000000", Integer.toString(sequence++), key, data,
                Instant.parse("2026-11-25T14:40:01Z"));
    }

    private StreamRecord record(String key, String json) {
        return record(key, json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(int... b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int x : b) {
            out.write(x);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, String b) {
        byte[] tail = b.getBytes(StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(a, a.length + tail.length);
        System.arraycopy(tail, 0, out, a.length, tail.length);
        return out;
    }

    /**
     * The bad record between two good ones: it is dead-lettered (stage quote-process) with a reason containing
     * {@code reason}, the good ones are stored, and records in = stored + dead-lettered.
     */
    private void deadLetteredAlone(StreamRecord bad, String reason) {
        List<StreamRecord> batch = List.of(record("AAPL", quote("AAPL", null, null)), bad,
                record("NVDA", quote("NVDA", null, null)));

        List<Outcome> outcomes = processor.process(batch).outcomes();

        assertThat(outcomes).extracting(Outcome::status).as(outcomes.get(1).reason()).containsExactly(
                Outcome.Status.STORED, Outcome.Status.DEAD_LETTERED, Outcome.Status.STORED);
        assertThat(table.rows.keySet()).containsExactlyInAnyOrder("AAPL|2026-11-25T14:40:00Z", "NVDA|2026-11-25T14:40:00Z");
        assertThat(deadLetters.letters.values()).singleElement().satisfies(letter -> {
            assertThat(letter.stage()).isEqualTo(BatchProcessor.STAGE_PROCESS);
            assertThat(letter.symbol()).isEqualTo(bad.partitionKey());
            assertThat(letter.sequenceNumber()).isEqualTo(bad.sequence());
            assertThat(letter.reason()).contains(reason);
        });
        assertThat(table.rows.size() + deadLetters.letters.size()).isEqualTo(batch.size());
    }

    @Test
    void bytesJacksonWouldTakeForUtf32LittleEndianArePoison() {
        // '{' then three NULs: Jackson guessed UTF-32LE and threw CharConversionException (an IOException).
        deadLetteredAlone(record("UTF32LE", concat(bytes(0x7b, 0, 0, 0), "garbage garbage")),
                "Illegal character ((CTRL-CHAR, code 0))");
    }

    @Test
    void bytesJacksonWouldTakeForUtf32BigEndianArePoison() {
        deadLetteredAlone(record("UTF32BE", concat(bytes(0, 0, 0, 0x7b), "garbage garbage")),
                "Illegal character ((CTRL-CHAR, code 0))");
    }

    @Test
    void bytesJacksonWouldTakeForUtf16ArePoison() {
        // '{' NUL then an unpaired high surrogate in UTF-16LE terms: every byte is valid UTF-8 here except 0xD8.
        deadLetteredAlone(record("UTF16", bytes(0x7b, 0, 0x22, 0, 0x00, 0xD8, 0x22, 0, 0x3a, 0, 0x31, 0, 0x7d, 0)),
                "record is not UTF-8 text: Invalid UTF-8 at byte 5 (0xD8)");
    }

    @Test
    void invalidUtf8IsPoisonWithItsPlace() {
        deadLetteredAlone(record("BADUTF8", concat(bytes('{', '"', 's', '"', ':', '"', 0xC3, 0x28), "\"}")),
                "record is not UTF-8 text: Invalid UTF-8 at byte 6 (0xC3)");
        deadLetters.letters.clear();
        table.rows.clear();
        // An overlong encoding of '/' and an encoded surrogate are not UTF-8 either.
        deadLetteredAlone(record("OVERLONG", concat(bytes('{', '"', 0xC0, 0xAF), "\":1}")),
                "record is not UTF-8 text: Invalid UTF-8 at byte 2 (0xC0)");
        deadLetters.letters.clear();
        table.rows.clear();
        deadLetteredAlone(record("SURROGATE", concat(bytes('{', '"', 0xED, 0xA0, 0x80), "\":1}")),
                "record is not UTF-8 text: Invalid UTF-8 at byte 2 (0xED 0xA0 0x80)");
    }

    @Test
    void aVolumeWithAnExponentBeyondBigIntegerIsPoison() {
        // Was: ArithmeticException "BigInteger would overflow supported range" from setScale(0): transient.
        deadLetteredAlone(record("EXPVOL", quote("EXPVOL", "\"volume\":1000", "\"volume\":1e600000000")),
                "volume does not fit a 64-bit integer (1E+600000000)");
    }

    @Test
    void aVolumeWithAHugeExponentIsRejectedAtOnce() {
        // Was: 10^400000000 computed (1.3 billion bits) before the bound was checked.
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> deadLetteredAlone(
                record("BIGVOL", quote("BIGVOL", "\"volume\":1000", "\"volume\":1e400000000")),
                "volume does not fit a 64-bit integer (1E+400000000)"));
    }

    @Test
    void aZeroVolumeWithAHugeExponentIsZeroAtOnce() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            List<Outcome> outcomes = processor.process(List.of(
                    record("ZEROA", quote("ZEROA", "\"volume\":1000", "\"volume\":0e-400000000")),
                    record("ZEROB", quote("ZEROB", "\"volume\":1000", "\"volume\":0e600000000")))).outcomes();
            assertThat(outcomes).extracting(Outcome::status).containsOnly(Outcome.Status.STORED);
            assertThat(table.rows.values()).extracting(q -> q.volume()).containsOnly(0L);
        });
    }

    @Test
    void negativeAndTinyHugeExponentsArePoisonAtOnce() {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"\"volume\":1000", "\"volume\":-1e600000000", "volume does not fit a 64-bit integer (-1E+600000000)"});
        cases.add(new String[] {"\"volume\":1000", "\"volume\":1e-600000000", "volume is not a whole number (1E-600000000)"});
        cases.add(new String[] {"\"price\":101", "\"price\":-1e600000000", "price is not positive (-1E+600000000)"});
        cases.add(new String[] {"\"price\":101", "\"price\":-1e-400000000", "price is not positive (-1E-400000000)"});
        cases.add(new String[] {"\"price\":101", "\"price\":1e-400000000", "price has more than 12 decimal places (1E-400000000)"});
        cases.add(new String[] {"\"open\":100", "\"open\":1e600000000", "open is beyond 1000000000000000 (1E+600000000)"});
        cases.add(new String[] {"\"high\":130", "\"high\":1e-600000000", "high has more than 12 decimal places (1E-600000000)"});
        cases.add(new String[] {"\"low\":80", "\"low\":-1e400000000", "low is not positive (-1E+400000000)"});
        cases.add(new String[] {"\"previous_close\":100", "\"previous_close\":1e400000000",
                "previous_close is beyond 1000000000000000 (1E+400000000)"});
        cases.add(new String[] {"\"timestamp\":\"2026-11-25T14:40:00Z\"", "\"timestamp\":1e600000000",
                "timestamp is not a string (1E+600000000)"});
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (String[] c : cases) {
                deadLetters.letters.clear();
                table.rows.clear();
                deadLetteredAlone(record("HUGEEXP", quote("HUGEEXP", c[0], c[1])), c[2]);
            }
        });
    }
}
