package dev.quotestream.core;

import dev.quotestream.core.metrics.ProcessedQuote;
import dev.quotestream.core.metrics.QuoteMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The core over fake ports, no servers: outcomes decided per record, writes batched, alert state in memory. */
class BatchProcessorTest {

    /** The table in memory: rows by key; a symbol in {@code failing} is left unprocessed (transient). */
    static final class MemoryTable implements TableWriter {
        final Map<String, ProcessedQuote> rows = new ConcurrentHashMap<>();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final Set<String> poison = ConcurrentHashMap.newKeySet();
        /** Single items ({@code SYMBOL|timestamp}) left unprocessed (transient). */
        final Set<String> failingKeys = ConcurrentHashMap.newKeySet();
        int calls;

        @Override
        public List<RuntimeException> write(List<ProcessedQuote> quotes) {
            calls++;
            List<RuntimeException> out = new ArrayList<>();
            for (ProcessedQuote q : quotes) {
                if (failing.contains(q.symbol()) || failingKeys.contains(q.symbol() + "|" + q.timestamp())) {
                    out.add(new IllegalStateException("item left unprocessed (throttled)"));
                } else if (poison.contains(q.symbol())) {
                    out.add(new RejectedRequest("ValidationException", "Number overflow"));
                } else {
                    rows.put(q.symbol() + "|" + q.timestamp(), q);
                    out.add(null);
                }
            }
            return out;
        }
    }

    /** A service answer with an error code, as the AWS adapters classify it. */
    static final class RejectedRequest extends RuntimeException {
        final String code;

        RejectedRequest(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    static class MemoryLake implements LakeWriter {
        final Map<String, List<String>> objects = new ConcurrentHashMap<>();
        final Set<String> failing = ConcurrentHashMap.newKeySet();

        @Override
        public void write(String partition, List<String> lines, Instant flushTime) {
            if (failing.stream().anyMatch(partition::contains)) {
                throw new IllegalStateException("S3 unreachable");
            }
            objects.put(partition + "@" + flushTime + "#" + objects.size(), List.copyOf(lines));
        }

        long lines() {
            return objects.values().stream().mapToLong(List::size).sum();
        }
    }

    static final class MemoryPublisher implements AlertPublisher {
        final List<PendingAlert> sent = new CopyOnWriteArrayList<>();
        final AtomicInteger attempts = new AtomicInteger();
        volatile boolean down;

        @Override
        public void publish(PendingAlert alert) {
            attempts.incrementAndGet();
            if (down) {
                throw new IllegalStateException("SNS unreachable");
            }
            sent.add(alert);
        }
    }

    static final class MemoryDeadLetters implements DeadLetterWriter {
        final Map<String, DeadLetter> letters = new ConcurrentHashMap<>();
        volatile boolean down;

        @Override
        public void write(DeadLetter letter) {
            if (down) {
                throw new IllegalStateException("dead-letter sink unreachable");
            }
            letters.put(letter.key("dead-letter"), letter);
        }
    }

    /** Counts the stored outbox's reads and writes under the in-memory state (symbols are evaluated at once). */
    static final class CountingOutbox implements AlertOutbox {
        final AlertOutboxCoreTest.MemoryOutbox store = new AlertOutboxCoreTest.MemoryOutbox();
        final AtomicInteger loads = new AtomicInteger();
        /** Reads of a batch's symbol-days in one go ({@link AlertOutbox#loadAll}; here, one load each). */
        final AtomicInteger batchReads = new AtomicInteger();
        final AtomicInteger replaces = new AtomicInteger();
        /** Called before each conditional write, with the symbol (a test may hold a write there). */
        volatile java.util.function.Consumer<String> beforeReplace = symbol -> { };

        @Override
        public dev.quotestream.core.metrics.AlertState load(String symbol, String tradingDay) {
            loads.incrementAndGet();
            return store.load(symbol, tradingDay);
        }

        @Override
        public Map<SymbolDay, java.util.Optional<dev.quotestream.core.metrics.AlertState>> loadAll(
                java.util.Collection<SymbolDay> symbolDays) {
            batchReads.incrementAndGet();
            return AlertOutbox.super.loadAll(symbolDays);
        }

        @Override
        public boolean replace(dev.quotestream.core.metrics.AlertState expected,
                               dev.quotestream.core.metrics.AlertState next, List<PendingAlert> alerts) {
            replaces.incrementAndGet();
            beforeReplace.accept(next.symbol());
            return store.replace(expected, next, alerts);
        }

        @Override
        public void markSent(List<PendingAlert> alerts) {
            store.markSent(alerts);
        }

        @Override
        public List<PendingAlert> pending(java.util.Collection<String> symbols, String fromDay, String toDay) {
            return store.pending(symbols, fromDay, toDay);
        }
    }

    private final MemoryTable table = new MemoryTable();
    private final MemoryLake lake = new MemoryLake();
    private final MemoryPublisher publisher = new MemoryPublisher();
    private final MemoryDeadLetters deadLetters = new MemoryDeadLetters();
    private final CountingOutbox outbox = new CountingOutbox();
    private final CachedAlertOutbox cached = new CachedAlertOutbox(outbox, 10_000);
    private final Clock clock = Clock.systemUTC();
    private final AlertRelay relay = new AlertRelay(cached, clock, Duration.ofSeconds(1), Duration.ofSeconds(30), List::of);
    private final Failures failures = new Failures(t -> t instanceof RejectedRequest r ? r.code : null);
    private final BatchProcessor processor = new BatchProcessor(new QuoteMetrics(), failures,
            new AlertGate(cached, new BigDecimal("5")), relay, table, publisher, lake, deadLetters,
            new LakeLayout("raw"), clock, 4, BatchEvents.NONE);
    private int sequence = 1000;

    @AfterEach
    void close() {
        processor.close();
    }

    private StreamRecord record(String symbol, String json) {
        return record("shardId-000000000000", symbol, json);
    }

    private StreamRecord record(String shard, String symbol, String json) {
        return new StreamRecord(shard, Integer.toString(sequence++), symbol,
                json.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-25T14:40:01Z"));
    }

    private StreamRecord quote(String symbol, String time, String price) {
        return quote("shardId-000000000000", symbol, time, price);
    }

    private StreamRecord quote(String shard, String symbol, String time, String price) {
        return record(shard, symbol, "{\"symbol\":\"" + symbol + "\",\"timestamp\":\"2026-11-25T" + time + "Z\",\"open\":100,"
                + "\"high\":130,\"low\":80,\"price\":" + price + ",\"volume\":1000,\"previous_close\":100,"
                + "\"currency\":\"USD\",\"exchange_timezone\":\"America/New_York\"}");
    }

    private static List<Outcome.Status> statuses(List<Outcome> outcomes) {
        return outcomes.stream().map(Outcome::status).toList();
    }

    @Test
    void aBadRecordInABatchCostsOnlyThatRecord() {
        List<StreamRecord> batch = List.of(
                quote("AAPL", "14:40:00", "101"),
                record("MSFT", "{\"symbol\":\"MSFT\",\"timestamp\":"), // cut short
                quote("GOOGL", "14:40:00", "102"),
                record("AMZN", "{\"symbol\":\"AMZN\",\"timestamp\":\"2026-11-25T14:40:00Z\",\"open\":100,\"high\":90,"
                        + "\"low\":95,\"price\":92,\"volume\":1,\"previous_close\":100,\"currency\":\"USD\",\"exchange_timezone\":\"America/New_York\"}"), // high below low
                quote("NVDA", "14:40:00", "103"));

        List<Outcome> outcomes = processor.process(batch).outcomes();

        assertThat(statuses(outcomes)).containsExactly(Outcome.Status.STORED, Outcome.Status.DEAD_LETTERED,
                Outcome.Status.STORED, Outcome.Status.DEAD_LETTERED, Outcome.Status.STORED);
        assertThat(table.rows.keySet()).containsExactlyInAnyOrder("AAPL|2026-11-25T14:40:00Z",
                "GOOGL|2026-11-25T14:40:00Z", "NVDA|2026-11-25T14:40:00Z");
        assertThat(table.calls).isEqualTo(1); // one write for the whole batch
        assertThat(lake.lines()).isEqualTo(3);
        assertThat(lake.objects).hasSize(3); // one object per partition
        assertThat(deadLetters.letters.values()).extracting(DeadLetter::symbol).containsExactlyInAnyOrder("MSFT", "AMZN");
        assertThat(outcomes.get(3).reason()).contains("high (90) is below low (95)");
        // records in = stored + dead-lettered
        assertThat(table.rows.size() + deadLetters.letters.size()).isEqualTo(batch.size());
    }

    @Test
    void anItemTheTableLeavesUnprocessedRetriesItsRecordAndHoldsBackItsSymbolsRecordsBehindIt() {
        table.failingKeys.add("MSFT|2026-11-25T14:40:00Z");
        List<StreamRecord> batch = List.of(quote("AAPL", "14:40:00", "101"), quote("MSFT", "14:40:00", "101"),
                quote("shardId-000000000001", "NVDA", "14:40:00", "101"), quote("GOOGL", "14:40:00", "101"),
                quote("MSFT", "14:41:00", "101"));
        List<Outcome> outcomes = processor.process(batch).outcomes();

        // GOOGL is another symbol, NVDA of another shard: nothing holds them back; MSFT's later record waits.
        assertThat(statuses(outcomes)).containsExactly(Outcome.Status.STORED, Outcome.Status.RETRY,
                Outcome.Status.STORED, Outcome.Status.STORED, Outcome.Status.RETRY);
        assertThat(outcomes.get(1).reason()).startsWith("table-sink: ").contains("unprocessed");
        assertThat(outcomes.get(4).reason()).isEqualTo("held back behind an earlier failed record "
                + batch.get(1).sequence());
        assertThat(table.rows).containsKey("MSFT|2026-11-25T14:41:00Z"); // stored, and stored again when re-delivered
        assertThat(lake.objects.keySet()).noneMatch(k -> k.contains("MSFT")).hasSize(3);
        assertThat(deadLetters.letters).isEmpty(); // transient: never a dead letter
    }

    @Test
    void aValueTheTableRejectsForGoodIsDeadLetteredAtTheTableStageAndHoldsNothingBack() {
        table.poison.add("MSFT");
        List<Outcome> outcomes = processor.process(List.of(quote("MSFT", "14:40:00", "101"),
                quote("AAPL", "14:40:00", "101"))).outcomes();

        assertThat(statuses(outcomes)).containsExactly(Outcome.Status.DEAD_LETTERED, Outcome.Status.STORED);
        DeadLetter letter = deadLetters.letters.values().iterator().next();
        assertThat(letter.stage()).isEqualTo("table-sink");
        assertThat(letter.symbol()).isEqualTo("MSFT");
    }

    @Test
    void aPoisonRecordWhoseDeadLetterCannotBeWrittenIsRetriedNotLost() {
        deadLetters.down = true;
        List<Outcome> outcomes = processor.process(List.of(record("X", "not json"), quote("AAPL", "14:40:00", "101")))
                .outcomes();

        assertThat(statuses(outcomes)).containsExactly(Outcome.Status.RETRY, Outcome.Status.STORED);
        assertThat(outcomes.get(0).reason()).startsWith("dead letter not written");
    }

    @Test
    void theAlertStateIsReadOncePerBatchAndWrittenOnlyWhenItFlips() {
        List<StreamRecord> batch = new ArrayList<>();
        for (int minute = 10; minute < 50; minute++) {
            // 14:10..14:49, twice each symbol; NVDA crosses at 14:20 and comes back at 14:30
            String nvda = minute >= 20 && minute < 30 ? "110" : "101";
            batch.add(quote("NVDA", "14:" + minute + ":00", nvda));
            batch.add(quote("AAPL", "14:" + minute + ":00", "101"));
        }

        List<Outcome> outcomes = processor.process(batch).outcomes();

        assertThat(outcomes).allMatch(o -> o.status() == Outcome.Status.STORED);
        assertThat(outbox.batchReads.get()).isEqualTo(1); // the batch's symbol-days in one read
        assertThat(outbox.loads.get()).isEqualTo(2); // NVDA and AAPL on 2026-11-25: once each
        assertThat(outbox.replaces.get()).isEqualTo(2); // the crossing and the way back
        assertThat(publisher.sent).extracting(PendingAlert::key).containsExactly("NVDA|2026-11-25|1");
        assertThat(outbox.store.states.get("NVDA|2026-11-25").pending()).isEmpty(); // marked sent

        // The next batch of the same process (warm container): read again, once, whatever memory holds, since Lambda
        // may have run the shard's batches in between in another container.
        processor.process(List.of(quote("NVDA", "14:50:00", "101"), quote("AAPL", "14:50:00", "101")));
        assertThat(outbox.batchReads.get()).isEqualTo(2);
        assertThat(outbox.loads.get()).isEqualTo(4);
        assertThat(table.calls).isEqualTo(2);
    }

    @Test
    void aConflictingWriterIsReadAgainThenTheRuleDecides() {
        processor.process(List.of(quote("NVDA", "14:40:00", "101"))); // state known in memory: nothing stored
        BatchProcessor other = new BatchProcessor(new QuoteMetrics(), failures,
                new AlertGate(outbox.store, new BigDecimal("5")),
                new AlertRelay(outbox.store, clock, Duration.ofSeconds(1), Duration.ofSeconds(30), List::of),
                new MemoryTable(), new MemoryPublisher(), null, deadLetters, new LakeLayout("raw"), clock, 1, null);
        StreamRecord othersQuote = quote("NVDA", "14:41:00", "110");
        // Another writer (another process) records the crossing at 14:41 and publishes it, after this process read
        // its batch's state and just before it writes its own flip.
        java.util.concurrent.atomic.AtomicBoolean raced = new java.util.concurrent.atomic.AtomicBoolean();
        outbox.beforeReplace = symbol -> {
            if (raced.compareAndSet(false, true)) {
                other.process(List.of(othersQuote));
            }
        };
        int loads = outbox.loads.get();

        // This process sees a crossing at 14:42 against the state it read: the conditional write fails, it reads
        // again and finds the state already in anomaly: no second alert.
        List<Outcome> outcomes = processor.process(List.of(quote("NVDA", "14:42:00", "111"))).outcomes();
        other.close();

        assertThat(raced).isTrue();
        assertThat(outcomes.get(0).status()).isEqualTo(Outcome.Status.STORED);
        assertThat(outbox.loads.get()).isEqualTo(loads + 2); // the batch's read, then the read after the conflict
        assertThat(publisher.sent).isEmpty();
        assertThat(outbox.store.states.get("NVDA|2026-11-25").crossings()).isEqualTo(1);
    }

    @Test
    void anErrorThrownByThePublisherLeavesNoClaimBehind() {
        AtomicInteger calls = new AtomicInteger();
        AlertPublisher breaksOnce = alert -> {
            if (calls.getAndIncrement() == 0) {
                throw new NoClassDefFoundError("software/amazon/awssdk/Something (an Error, not an exception)");
            }
            publisher.publish(alert);
        };
        try (BatchProcessor withIt = new BatchProcessor(new QuoteMetrics(), failures,
                new AlertGate(cached, new BigDecimal("5")), relay, table, breaksOnce, lake, deadLetters,
                new LakeLayout("raw"), clock, 4, BatchEvents.NONE)) {
            // The Error fails the record (as on a pool thread), after every task of the batch has ended.
            assertThat(statuses(withIt.process(List.of(quote("NVDA", "14:40:00", "110"))).outcomes()))
                    .containsExactly(Outcome.Status.RETRY);
            assertThat(publisher.sent).isEmpty();

            // The record again (Lambda's retry): the alert is published, not skipped as "being published".
            assertThat(statuses(withIt.process(List.of(quote("NVDA", "14:40:00", "110"))).outcomes()))
                    .containsExactly(Outcome.Status.STORED);
        }
        assertThat(publisher.sent).extracting(PendingAlert::key).containsExactly("NVDA|2026-11-25|1");
        assertThat(outbox.store.states.get("NVDA|2026-11-25").pending()).isEmpty();
    }

    @Test
    void anAlertWhoseRecordsNeverComeBackIsPublishedWithALaterBatchOfAnotherSymbol() {
        AlertRelay noWait = new AlertRelay(cached, clock, Duration.ZERO, Duration.ZERO, List::of);
        try (BatchProcessor container = new BatchProcessor(new QuoteMetrics(), failures,
                new AlertGate(cached, new BigDecimal("5")), noWait, table, publisher, lake, deadLetters,
                new LakeLayout("raw"), clock, 4, BatchEvents.NONE)) {
            publisher.down = true;
            assertThat(statuses(container.process(List.of(quote("NVDA", "14:40:00", "110"))).outcomes()))
                    .containsExactly(Outcome.Status.RETRY);
            assertThat(outbox.store.states.get("NVDA|2026-11-25").pending()).containsKey(1);

            // Lambda's retries ran out: NVDA's record is not delivered again. SNS is back; a batch of AAPL comes.
            publisher.down = false;
            assertThat(statuses(container.process(List.of(quote("AAPL", "14:41:00", "101"))).outcomes()))
                    .containsExactly(Outcome.Status.STORED);
        }
        assertThat(publisher.sent).extracting(PendingAlert::key).containsExactly("NVDA|2026-11-25|1");
        assertThat(outbox.store.states.get("NVDA|2026-11-25").pending()).as("marked sent").isEmpty();
    }

    @Test
    void aFailedPublishRetriesEveryRecordThatCarriesTheAlertOnceAndTheAlertStaysPending() {
        publisher.down = true;
        List<Outcome> outcomes = processor.process(List.of(quote("NVDA", "14:40:00", "110"),
                quote("AAPL", "14:40:00", "101"), quote("NVDA", "14:41:00", "111"))).outcomes();

        assertThat(statuses(outcomes)).containsExactly(Outcome.Status.RETRY, Outcome.Status.STORED, Outcome.Status.RETRY);
        assertThat(publisher.attempts.get()).isEqualTo(1); // one attempt per distinct alert and batch
        assertThat(outbox.store.states.get("NVDA|2026-11-25").pending()).containsKey(1);
        assertThat(deadLetters.letters).isEmpty();

        // SNS is back; the stream hands the records over again: the alert goes out once, with its key.
        publisher.down = false;
        relay.due(); // (the route's relay timer would do the same)
        List<Outcome> retried = processor.process(List.of(quote("NVDA", "14:40:00", "110"),
                quote("NVDA", "14:41:00", "111"))).outcomes();
        assertThat(retried).allMatch(o -> o.status() == Outcome.Status.STORED);
        assertThat(publisher.sent).extracting(PendingAlert::key).containsExactly("NVDA|2026-11-25|1");
        assertThat(outbox.store.states.get("NVDA|2026-11-25").pending()).isEmpty();
    }

    @Test
    void aLakeObjectNotWrittenRetriesOnlyTheRecordsOfItsPartition() {
        lake.failing.add("ticker=MSFT");
        List<Outcome> outcomes = processor.process(List.of(quote("AAPL", "14:40:00", "101"),
                quote("MSFT", "14:40:00", "101"), quote("MSFT", "14:41:00", "101"))).outcomes();

        assertThat(statuses(outcomes)).containsExactly(Outcome.Status.STORED, Outcome.Status.RETRY, Outcome.Status.RETRY);
        assertThat(outcomes.get(1).reason()).startsWith("lake-sink: ");
    }

    @Test
    void manyAlertsArePublishedConcurrentlyAndEachOnce() {
        List<StreamRecord> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(quote("S" + i, "14:40:00", "120"));
            batch.add(quote("S" + i, "14:40:00", "120")); // a duplicate in the same batch
        }
        Batch done = processor.process(batch);

        assertThat(done.outcomes()).allMatch(o -> o.status() == Outcome.Status.STORED);
        assertThat(publisher.sent).hasSize(40);
        assertThat(done.alertsPublished()).isEqualTo(40);
        assertThat(Collections.frequency(publisher.sent.stream().map(PendingAlert::key).toList(), "S7|2026-11-25|1"))
                .isEqualTo(1);
    }

    /** Waits for a latch, generously: a stage that is not concurrent never opens it and fails the batch instead. */
    private static void await(java.util.concurrent.CountDownLatch latch, String what) {
        try {
            if (!latch.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theLakeIsWrittenWhileAnAlertIsBeingPublished() {
        java.util.concurrent.CountDownLatch lakeWritten = new java.util.concurrent.CountDownLatch(1);
        MemoryLake watchedLake = new MemoryLake() {
            @Override
            public void write(String partition, List<String> lines, Instant flushTime) {
                super.write(partition, lines, flushTime);
                lakeWritten.countDown();
            }
        };
        AlertPublisher waitsForTheLake = alert -> {
            await(lakeWritten, "the lake object");
            publisher.publish(alert);
        };
        try (BatchProcessor concurrent = new BatchProcessor(new QuoteMetrics(), failures,
                new AlertGate(cached, new BigDecimal("5")), relay, table, waitsForTheLake, watchedLake, deadLetters,
                new LakeLayout("raw"), clock, 4, BatchEvents.NONE)) {
            List<Outcome> outcomes = concurrent.process(List.of(quote("NVDA", "14:40:00", "110"))).outcomes();

            assertThat(statuses(outcomes)).containsExactly(Outcome.Status.STORED);
            assertThat(publisher.sent).extracting(PendingAlert::key).containsExactly("NVDA|2026-11-25|1");
            assertThat(watchedLake.lines()).isEqualTo(1);
        }
    }

    @Test
    void symbolsAreEvaluatedAtOnceEachInStreamOrder() {
        // NVDA's first flip is held until AMD's flip is being written: one symbol after the other would time out.
        java.util.concurrent.CountDownLatch amdWriting = new java.util.concurrent.CountDownLatch(1);
        outbox.beforeReplace = symbol -> {
            if (symbol.equals("AMD")) {
                amdWriting.countDown();
            } else {
                await(amdWriting, "AMD's state write");
            }
        };
        List<Outcome> outcomes = processor.process(List.of(quote("NVDA", "14:40:00", "110"),
                quote("NVDA", "14:41:00", "101"), quote("AMD", "14:40:00", "90"), quote("NVDA", "14:42:00", "112")))
                .outcomes();

        assertThat(outcomes).allMatch(o -> o.status() == Outcome.Status.STORED);
        // NVDA: up, back, up again, in stream order: two crossings, published in crossing order
        assertThat(publisher.sent.stream().filter(a -> a.symbol().equals("NVDA")).map(PendingAlert::key).toList())
                .containsExactly("NVDA|2026-11-25|1", "NVDA|2026-11-25|2");
        assertThat(publisher.sent).extracting(PendingAlert::key).contains("AMD|2026-11-25|1");
        assertThat(outbox.store.states.get("NVDA|2026-11-25").crossings()).isEqualTo(2);
        assertThat(outbox.store.states.get("NVDA|2026-11-25").inAnomaly()).isTrue();
        assertThat(outbox.store.states.get("NVDA|2026-11-25").pending()).isEmpty();
    }

    @Test
    void aRecordTheTableDidNotStoreGetsNoAlertStateAndNoLakeLine() {
        table.failing.add("NVDA");
        List<Outcome> outcomes = processor.process(List.of(quote("AAPL", "14:40:00", "101"),
                quote("NVDA", "14:40:00", "120"))).outcomes();

        assertThat(statuses(outcomes)).containsExactly(Outcome.Status.STORED, Outcome.Status.RETRY);
        assertThat(outcomes.get(1).reason()).startsWith("table-sink: ");
        assertThat(outbox.store.states).doesNotContainKey("NVDA|2026-11-25");
        assertThat(publisher.attempts.get()).isZero();
        assertThat(lake.objects.keySet()).noneMatch(k -> k.contains("NVDA")).hasSize(1);
    }

    @Test
    void aRecordWhoseAlertAndLakeObjectBothFailIsRetriedWithOneOfTheirReasons() {
        publisher.down = true;
        lake.failing.add("ticker=NVDA");
        List<Outcome> outcomes = processor.process(List.of(quote("NVDA", "14:40:00", "110"),
                quote("AAPL", "14:40:00", "101"))).outcomes();

        assertThat(statuses(outcomes)).containsExactly(Outcome.Status.RETRY, Outcome.Status.STORED);
        assertThat(outcomes.get(0).reason()).matches("(alert-sink|lake-sink): .*");
        assertThat(lake.objects.keySet()).noneMatch(k -> k.contains("NVDA"));
        assertThat(outbox.store.states.get("NVDA|2026-11-25").pending()).containsKey(1); // still in the outbox
        assertThat(deadLetters.letters).isEmpty();
    }
    // ------------------------------------------------------------------ a later record never moves the state past a retried one

    /**
     * Lambda re-delivers from the lowest failed sequence number. If the records behind a failed one went on to the
     * alert rule, the re-delivered ones would be replays (before the state's last timestamp): NVDA up at 14:40 (not
     * stored), back at 14:41, up at 14:42 would be one alert, about 14:42, instead of two.
     */
    @Test
    void aPoisonRecordBehindARetriedOneIsDeadLetteredAtOnceAndItsRedeliveryWritesTheSameObject() {
        table.failingKeys.add("NVDA|2026-11-25T14:40:00Z");
        List<StreamRecord> batch = List.of(quote("NVDA", "14:40:00", "101"), record("X", "not json"),
                quote("AAPL", "14:41:00", "101"));

        List<Outcome> first = processor.process(batch).outcomes();

        assertThat(statuses(first)).containsExactly(Outcome.Status.RETRY, Outcome.Status.DEAD_LETTERED,
                Outcome.Status.STORED);
        assertThat(deadLetters.letters).hasSize(1); // written now: not lost if Lambda's retries run out

        table.failingKeys.clear();
        List<Outcome> again = processor.process(batch).outcomes();

        assertThat(statuses(again)).containsExactly(Outcome.Status.STORED, Outcome.Status.DEAD_LETTERED,
                Outcome.Status.STORED);
        assertThat(deadLetters.letters).as("the same key: one object").hasSize(1);
    }

    @Test
    void recordsBehindOneTheTableDidNotStoreAreHeldBackAndTheRedeliveryAlertsEveryCrossing() {
        table.failingKeys.add("NVDA|2026-11-25T14:40:00Z");
        List<StreamRecord> batch = List.of(quote("NVDA", "14:40:00", "110"), quote("NVDA", "14:41:00", "101"),
                quote("AAPL", "14:41:00", "101"), quote("NVDA", "14:42:00", "112"));

        List<Outcome> first = processor.process(batch).outcomes();

        // AAPL goes on; NVDA's later records wait for the one the table did not store.
        assertThat(statuses(first)).containsExactly(Outcome.Status.RETRY, Outcome.Status.RETRY, Outcome.Status.STORED,
                Outcome.Status.RETRY);
        assertThat(first.get(0).reason()).startsWith("table-sink: ").contains("unprocessed");
        assertThat(List.of(first.get(1), first.get(3))).extracting(Outcome::reason)
                .containsOnly("held back behind an earlier failed record " + batch.get(0).sequence());
        assertThat(publisher.attempts.get()).isZero();
        assertThat(outbox.store.states).doesNotContainKey("NVDA|2026-11-25");
        assertThat(lake.lines()).isEqualTo(1); // AAPL's; no NVDA line until the re-delivery

        // Lambda re-delivers every record from the first failed one; the table takes them now.
        table.failingKeys.clear();
        List<Outcome> again = processor.process(batch).outcomes();

        assertThat(statuses(again)).containsOnly(Outcome.Status.STORED);
        assertBothNvdaCrossingsPublishedAboutTheirOwnQuotes();
        assertThat(lake.lines()).isEqualTo(5); // AAPL's line again (a replay: the curated lake keeps one)
    }

    /** NVDA up at 14:40, back within at 14:41, up at 14:42: two crossings, each alert about its own quote. */
    private void assertBothNvdaCrossingsPublishedAboutTheirOwnQuotes() {
        assertThat(publisher.sent).extracting(PendingAlert::key)
                .containsExactly("NVDA|2026-11-25|1", "NVDA|2026-11-25|2");
        assertThat(publisher.sent).extracting(a -> a.message().timestamp())
                .containsExactly("2026-11-25T14:40:00Z", "2026-11-25T14:42:00Z");
    }

    /** The same when the first record's state write fails: its symbol's later records are held back. */
    @Test
    void aSymbolsRecordsBehindAFailedStateWriteAreHeldBackAndTheRedeliveryAlertsEveryCrossing() {
        java.util.concurrent.atomic.AtomicBoolean failNext = new java.util.concurrent.atomic.AtomicBoolean(true);
        outbox.beforeReplace = symbol -> {
            if (symbol.equals("NVDA") && failNext.compareAndSet(true, false)) {
                throw new IllegalStateException("simulated: state write throttled");
            }
        };
        List<StreamRecord> batch = List.of(quote("NVDA", "14:40:00", "110"), quote("AAPL", "14:40:00", "101"),
                quote("NVDA", "14:41:00", "101"), quote("NVDA", "14:42:00", "112"));

        List<Outcome> first = processor.process(batch).outcomes();

        assertThat(statuses(first)).containsExactly(Outcome.Status.RETRY, Outcome.Status.STORED,
                Outcome.Status.RETRY, Outcome.Status.RETRY);
        assertThat(first.get(0).reason()).isEqualTo("alert-sink: IllegalStateException: simulated: state write throttled");
        assertThat(first.subList(2, 4)).extracting(Outcome::reason)
                .containsOnly("held back behind an earlier failed record " + batch.get(0).sequence());
        assertThat(publisher.attempts.get()).isZero();
        assertThat(outbox.store.states).doesNotContainKey("NVDA|2026-11-25");

        List<Outcome> again = processor.process(batch).outcomes();

        assertThat(statuses(again)).containsOnly(Outcome.Status.STORED);
        assertBothNvdaCrossingsPublishedAboutTheirOwnQuotes();
    }

    // ------------------------------------------------------------------ two warm containers, one shard

    /**
     * Lambda does not pin a shard to one execution environment: batches of one symbol alternate between two, each
     * with its own memory, over one store. Each batch reads its symbol-days afresh, so neither trusts a state the
     * other has changed since: up, down, up, down, up is three crossings, each alerted.
     */
    @Test
    void batchesAlternatingBetweenTwoEnvironmentsAlertEveryCrossing() {
        CachedAlertOutbox otherMemory = new CachedAlertOutbox(outbox, 10_000);
        try (BatchProcessor other = new BatchProcessor(new QuoteMetrics(), failures,
                new AlertGate(otherMemory, new BigDecimal("5")),
                new AlertRelay(otherMemory, clock, Duration.ofSeconds(1), Duration.ofSeconds(30), List::of),
                table, publisher, lake, deadLetters, new LakeLayout("raw"), clock, 4, BatchEvents.NONE)) {
            String[][] batches = {{"14:40:00", "110"}, {"14:41:00", "101"}, {"14:42:00", "112"}, {"14:43:00", "101"},
                    {"14:44:00", "113"}};
            for (int i = 0; i < batches.length; i++) {
                BatchProcessor environment = i % 2 == 0 ? processor : other;
                List<Outcome> outcomes = environment.process(List.of(quote("NVDA", batches[i][0], batches[i][1])))
                        .outcomes();
                assertThat(statuses(outcomes)).as("batch " + i).containsExactly(Outcome.Status.STORED);
            }
        }

        assertThat(publisher.sent).extracting(PendingAlert::key)
                .containsExactly("NVDA|2026-11-25|1", "NVDA|2026-11-25|2", "NVDA|2026-11-25|3");
        assertThat(publisher.sent).extracting(a -> a.message().timestamp())
                .containsExactly("2026-11-25T14:40:00Z", "2026-11-25T14:42:00Z", "2026-11-25T14:44:00Z");
        assertThat(outbox.store.states.get("NVDA|2026-11-25").crossings()).isEqualTo(3);
    }
}
