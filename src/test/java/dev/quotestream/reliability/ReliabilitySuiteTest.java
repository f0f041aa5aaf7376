package dev.quotestream.reliability;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.quotestream.pipeline.PipelineRunner;
import dev.quotestream.testing.LoopbackAws;
import dev.quotestream.testing.LoopbackAws.Service;
import dev.quotestream.testing.SnsTopic;
import dev.quotestream.testing.TcpProxy;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reliability suite (issue 9, item 10) for the aws profile, against the loopback AWS servers, each scenario on
 * its own stream, table, bucket and topic, and its own TCP proxies for its outages. The scenarios run concurrently
 * (their minutes are mostly outages: waiting), the class itself alone. Each asserts the invariants at rest: records in
 * = stored + dead-lettered, every stored quote is in the lake, no alert lost (every crossing published, with its
 * key), no table duplicate; and writes its figures to target/reliability/results.md.
 * {@code -Dreliability.outage-seconds=N} shortens every outage to N seconds, for a quick run while working on it.
 */
@Execution(ExecutionMode.SAME_THREAD)
class ReliabilitySuiteTest {

    private static final Duration SETTLE = Duration.ofMinutes(5);
    private final LoopbackAws aws = LoopbackAws.shared();

    static Stream<Arguments> outages() {
        List<Arguments> cases = new ArrayList<>();
        for (Service service : List.of(Service.DYNAMODB, Service.S3, Service.SNS, Service.KINESIS)) {
            for (int seconds : List.of(60, 150)) {
                cases.add(Arguments.of(service, seconds));
            }
        }
        return cases.stream();
    }

    private static String endpointProperty(Service service) {
        return switch (service) {
            case KINESIS -> "aws.kinesis-endpoint";
            case DYNAMODB -> "aws.dynamodb-endpoint";
            case S3 -> "aws.s3-endpoint";
            case SNS -> "aws.sns-endpoint";
        };
    }

    /**
     * 30 records, then the sink is down for the outage while 30 more arrive, then it is back and 30 more arrive:
     * everything ends up stored or dead-lettered, in the lake, and alerted.
     */
    @ParameterizedTest(name = "{0} down for {1} s")
    @MethodSource("outages")
    @Execution(ExecutionMode.CONCURRENT)
    void aSinkOutageLosesNothing(Service service, int seconds, @TempDir Path data) throws Exception {
        String prefix = service.name().charAt(0) + "" + seconds + "O";
        try (AwsScenario s = new AwsScenario("outage-" + service + "-" + seconds, new ScenarioQuotes(prefix, 3, 17), data);
             TcpProxy proxy = aws.proxy(service)) {
            Map<String, String> p = s.properties();
            p.put(endpointProperty(service), proxy.endpoint());
            AwsScenario.Invariants before;
            AwsScenario.Invariants during;
            long started = System.nanoTime();
            try (PipelineRunner app = PipelineRunner.start("aws", p)) {
                s.write(30);
                assertThat(Await.until(() -> s.invariants().hold(), SETTLE, Duration.ofSeconds(1)))
                        .as("the first 30 records, before the outage: " + s.invariants().figures()).isTrue();
                before = s.invariants();
                proxy.down();
                s.write(30);
                Await.outage(Duration.ofSeconds(Integer.getInteger("reliability.outage-seconds", seconds)));
                during = s.invariants();
                proxy.up();
                s.write(30);
                assertThat(Await.until(() -> s.invariants().hold(), SETTLE, Duration.ofSeconds(1)))
                        .as(service + " back: " + s.invariants().figures()).isTrue();
            }
            AwsScenario.Invariants after = s.invariants();
            long tookSeconds = (System.nanoTime() - started) / 1_000_000_000;
            // The outage was real: what it held back at its end.
            String heldBack = switch (service) {
                case DYNAMODB, KINESIS -> (during.stored() - before.stored()) + " of the outage's records stored during it";
                case S3 -> during.missingFromLake().size() + " stored quotes not in the lake yet, "
                        + during.deadLetteredToFallback() + " dead letters in the local fallback";
                case SNS -> during.pendingAlerts() + " alerts pending in the outbox";
            };
            switch (service) {
                case DYNAMODB, KINESIS -> assertThat(during.stored()).as("nothing stored while " + service + " is down")
                        .isEqualTo(before.stored());
                case S3 -> assertThat(during.missingFromLake()).as("lake lines held back").isNotEmpty();
                case SNS -> assertThat(during.pendingAlerts()).as("alerts held in the outbox").isPositive();
            }
            ReliabilityReport.row(service + " down " + seconds + " s (TCP proxy)",
                    "retried until it is back; nothing lost, nothing twice",
                    "during: " + heldBack + "; after: " + after.figures() + "; " + tookSeconds + " s in all",
                    after.recordsIn() + " records, " + after.expectedAlerts() + " alerts");
            assertThat(after.hold()).as(after.figures()).isTrue();
            assertThat(after.duplicateAlerts()).as("no alert twice without a crash").isZero();
        }
    }

    /**
     * SNS fails while the alert of a new crossing is being sent; the application is stopped (SIGTERM-like, graceful)
     * and started again once SNS is back: the alert is delivered exactly once, with its key.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aStopDuringAnSnsOutageThenARestartDeliversTheAlertOnceWithItsKey(@TempDir Path data) throws Exception {
        try (AwsScenario s = new AwsScenario("alert-stop", new ScenarioQuotes("ASTOP", 1, 0), data)) {
            SnsTopic topic = s.resources.topic();
            StubMapping outage = topic.stub(SnsTopic.publish().atPriority(1).willReturn(aResponse().withStatus(503)));
            long stopMs;
            try (PipelineRunner app = PipelineRunner.start("aws", s.properties())) {
                s.write(3); // 100, 101, 108: crossing #1 on the third
                assertThat(Await.until(() -> topic.publishEvents().size() >= 3, Duration.ofSeconds(60))).isTrue();
                long t0 = System.nanoTime();
                app.close();
                stopMs = (System.nanoTime() - t0) / 1_000_000;
            }
            assertThat(s.invariants().pendingAlerts()).as("left pending by the stop").isEqualTo(1);
            assertThat(s.deadLetters()).as("never dead-lettered for a transient failure").isEmpty();
            topic.close(); // SNS is back
            topic.resetRequests();
            try (PipelineRunner app = PipelineRunner.start("aws", s.properties())) {
                assertThat(Await.until(() -> s.invariants().hold(), Duration.ofSeconds(90))).as(s.invariants().figures()).isTrue();
            }
            List<String> delivered = s.deliveredAlertKeys();
            ReliabilityReport.row("graceful stop during an SNS outage, then a restart", "the alert delivered once, with its key",
                    "stop took " + stopMs + " ms; after the restart delivered " + delivered, delivered.size() + " alert");
            assertThat(delivered).containsExactly("ASTOP0|2026-11-25|1");
            assertThat(stopMs).as("the stop does not wait out a redelivery schedule").isLessThan(30_000);
        }
    }

    /** The same, with SIGKILL instead of a stop: the pending alert survives the crash in the outbox. */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aKill9DuringAnSnsOutageThenARestartDeliversTheAlertOnceWithItsKey(@TempDir Path data) throws Exception {
        try (AwsScenario s = new AwsScenario("alert-kill", new ScenarioQuotes("AKILL", 1, 0), data)) {
            SnsTopic topic = s.resources.topic();
            topic.stub(SnsTopic.publish().atPriority(1).willReturn(aResponse().withStatus(503)));
            Map<String, String> p = s.properties();
            try (AppProcess app = AppProcess.start(p, ReliabilityReport.log("alert-kill9", 1))) {
                s.write(3);
                assertThat(Await.until(() -> topic.publishEvents().size() >= 2, Duration.ofSeconds(120))).isTrue();
                app.kill9();
            }
            assertThat(s.invariants().pendingAlerts()).as("pending after the crash").isEqualTo(1);
            topic.close();
            topic.resetRequests();
            try (AppProcess app = AppProcess.start(p, ReliabilityReport.log("alert-kill9", 2))) {
                assertThat(Await.until(() -> s.invariants().hold(), Duration.ofSeconds(120))).as(s.invariants().figures()).isTrue();
                app.stop();
            }
            List<String> delivered = s.deliveredAlertKeys();
            ReliabilityReport.row("kill -9 during an SNS outage, then a restart", "the alert delivered once, with its key",
                    "delivered after the restart: " + delivered, delivered.size() + " alert");
            assertThat(delivered).containsExactly("AKILL0|2026-11-25|1");
        }
    }

    /**
     * kill -9 of the application mid-stream, three times, the second during an S3 outage (quotes stored in DynamoDB
     * whose lake lines could not be written), while records keep arriving; then a last run drains the stream. Every
     * stored quote is in the lake, every record stored or dead-lettered, no alert lost.
     */
    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void threeKill9sOneDuringAnS3OutageLoseNoQuoteFromTheLake(@TempDir Path data) throws Exception {
        int total = 360;
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        try (AwsScenario s = new AwsScenario("kill9-aws", new ScenarioQuotes("K9A", 4, 23), data);
             TcpProxy s3 = aws.proxy(Service.S3)) {
            Map<String, String> p = s.properties();
            p.put("aws.s3-endpoint", s3.endpoint());
            p.put("lake.flush-interval-ms", "3000");
            feeder.scheduleWithFixedDelay(() -> {
                if (s.written() < total) {
                    s.write(Math.min(4, total - s.written()));
                }
            }, 0, 250, TimeUnit.MILLISECONDS);
            try (AppProcess app = AppProcess.start(p, ReliabilityReport.log("kill9-aws", 1))) {
                assertThat(Await.until(() -> s.items().size() >= 40, Duration.ofSeconds(120))).isTrue();
                app.kill9();
            }
            int storedAtKill2;
            int notInLakeAtKill2;
            try (AppProcess app = AppProcess.start(p, ReliabilityReport.log("kill9-aws", 2))) {
                int resumedAt = s.items().size();
                assertThat(Await.until(() -> s.items().size() >= resumedAt + 20, Duration.ofSeconds(120))).isTrue();
                s3.down();
                int downAt = s.items().size();
                assertThat(Await.until(() -> s.items().size() >= downAt + 40, Duration.ofSeconds(120))).isTrue();
                app.kill9();
                AwsScenario.Invariants atKill = s.invariants();
                storedAtKill2 = atKill.stored();
                notInLakeAtKill2 = atKill.missingFromLake().size();
            }
            try (AppProcess app = AppProcess.start(p, ReliabilityReport.log("kill9-aws", 3))) {
                int resumedAt = s.items().size();
                assertThat(Await.until(() -> s.items().size() >= resumedAt + 10, Duration.ofSeconds(120))).isTrue();
                s3.up();
                assertThat(Await.until(() -> s.items().size() >= resumedAt + 40, Duration.ofSeconds(120))).isTrue();
                app.kill9();
            }
            assertThat(Await.until(() -> s.written() >= total, Duration.ofSeconds(120))).isTrue();
            try (AppProcess app = AppProcess.start(p, ReliabilityReport.log("kill9-aws", 4))) {
                assertThat(Await.until(() -> s.invariants().hold(), SETTLE, Duration.ofSeconds(1)))
                        .as(s.invariants().figures()).isTrue();
                app.stop();
            }
            AwsScenario.Invariants after = s.invariants();
            ReliabilityReport.row("kill -9 three times mid-stream (aws), the 2nd during an S3 outage",
                    "every stored quote in the lake after the restart",
                    "at the 2nd kill " + notInLakeAtKill2 + " of " + storedAtKill2 + " stored quotes had no lake line; after: "
                            + after.figures(), after.recordsIn() + " records, " + after.stored() + " stored");
            assertThat(notInLakeAtKill2).as("the S3 outage held lake lines back at the kill").isPositive();
            assertThat(after.hold()).as(after.figures()).isTrue();
        } finally {
            feeder.shutdownNow();
        }
    }

    /**
     * The local profile: its stream is a durable log (stream.db) read after its checkpoint, so the same guarantees
     * hold. Application runs in JVMs of their own (kill -9) or in this one; file-system faults with mount(8).
     */
    @Nested
    @Execution(ExecutionMode.CONCURRENT)
    class Local {

        /**
         * kill -9 three times while the simulator's quotes keep coming, the second while the lake folder cannot be
         * written (the local lake's outage: a read-only mount), then a last run drains the stream: every stored quote
         * is in the lake, every record stored or dead-lettered (poison records added), no alert lost.
         */
        @Test
        @Execution(ExecutionMode.CONCURRENT)
        void threeKill9sOneDuringALakeOutageLoseNoQuoteFromTheLake(@TempDir Path data) throws Exception {
            Mounts.requireMount(data.resolve("probe"));
            LocalScenario s = new LocalScenario(data.resolve("data"));
            Map<String, String> p = s.properties();
            p.put("lake.flush-interval-ms", "2000");
            try (AppProcess app = AppProcess.start(p, ReliabilityReport.log("kill9-local", 1))) {
                assertThat(Await.until(() -> s.rows() >= 20, Duration.ofSeconds(120))).isTrue();
                app.kill9();
            }
            int notInLakeAtKill2;
            int storedAtKill2;
            Path raw = s.data.resolve("raw");
            try (AppProcess app = AppProcess.start(p, ReliabilityReport.log("kill9-local", 2))) {
                int resumedAt = s.rows();
                assertThat(Await.until(() -> s.rows() >= resumedAt + 15, Duration.ofSeconds(120))).isTrue();
                Mounts.readOnly(raw);
                try {
                    int downAt = s.rows();
                    assertThat(Await.until(() -> s.rows() >= downAt + 15, Duration.ofSeconds(120))).isTrue();
                    app.kill9();
                    storedAtKill2 = s.rows();
                    notInLakeAtKill2 = s.storedNotInLake();
                } finally {
                    Mounts.unmount(raw);
                }
            }
            try (AppProcess app = AppProcess.start(p, ReliabilityReport.log("kill9-local", 3))) {
                int resumedAt = s.rows();
                assertThat(Await.until(() -> s.rows() >= resumedAt + 15, Duration.ofSeconds(120))).isTrue();
                app.kill9();
            }
            for (int i = 0; i < 3; i++) {
                s.append("POISON", ("{\"symbol\":\"POISON\",\"price\":" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            p.put("pipeline.fetch-in-camel", "false");
            try (AppProcess app = AppProcess.start(p, ReliabilityReport.log("kill9-local", 4))) {
                assertThat(Await.until(() -> s.drained() && s.invariants().hold(), SETTLE, Duration.ofSeconds(1)))
                        .as(s.invariants().figures()).isTrue();
                app.stop();
            }
            AwsScenario.Invariants after = s.invariants();
            ReliabilityReport.row("kill -9 three times mid-stream (local), the 2nd while the lake folder is read-only",
                    "every stored quote in the lake after the restart",
                    "at the 2nd kill " + notInLakeAtKill2 + " of " + storedAtKill2 + " stored quotes had no lake line; after: "
                            + after.figures(), after.recordsIn() + " records, " + after.stored() + " stored");
            assertThat(notInLakeAtKill2).as("lake lines held back at the kill").isPositive();
            assertThat(after.hold()).as(after.figures()).isTrue();
            assertThat(s.brokenFiles()).isEmpty();
        }

        /**
         * A full disk (a 6 MB tmpfs, filled up while the pipeline runs), then space again: table, stream, lake and
         * dead letters all wait and retry; no empty or half-written file is left; nothing is lost.
         */
        @Test
        @Execution(ExecutionMode.CONCURRENT)
        void aFullDiskLosesNothingAndLeavesNoEmptyFile(@TempDir Path data) throws Exception {
            Mounts.requireMount(data.resolve("probe"));
            Path disk = data.resolve("disk");
            Mounts.tmpfs(disk, "6m");
            try {
                LocalScenario s = new LocalScenario(disk);
                Map<String, String> p = s.properties();
                long filled;
                int rowsBefore;
                int rowsAfterFill;
                try (PipelineRunner app = PipelineRunner.start(p)) {
                    var retries = dev.quotestream.pipeline.ExchangeCounter.of(app.context(),
                            e -> e instanceof org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent);
                    assertThat(Await.until(() -> s.rows() >= 20, Duration.ofSeconds(120))).isTrue();
                    s.append("POISON", "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    Path filler = disk.resolve("filler");
                    filled = Mounts.fill(filler);
                    rowsBefore = s.rows();
                    assertThat(retries.await(5, Duration.ofSeconds(60))).as("writes fail and are retried").isTrue();
                    Await.outage(Duration.ofSeconds(5));
                    rowsAfterFill = s.rows();
                    java.nio.file.Files.delete(filler);
                    assertThat(Await.until(() -> s.rows() >= rowsBefore + 15, Duration.ofSeconds(120))).isTrue();
                    app.context().getRouteController().stopRoute("quote-fetch");
                    assertThat(Await.until(() -> s.drained() && s.invariants().hold(), SETTLE, Duration.ofSeconds(1)))
                            .as(s.invariants().figures()).isTrue();
                }
                AwsScenario.Invariants after = s.invariants();
                List<Path> broken = s.brokenFiles();
                ReliabilityReport.row("full disk (6 MB tmpfs filled up, then freed)",
                        "writes wait and retry; no empty or half-written file; nothing lost",
                        "filled " + filled / 1024 + " KB; rows " + rowsBefore + " -> " + rowsAfterFill
                                + " while full; after: " + after.figures() + "; empty or .inprogress files: " + broken.size(),
                        after.recordsIn() + " records");
                assertThat(after.hold()).as(after.figures()).isTrue();
                assertThat(broken).isEmpty();
            } finally {
                Mounts.unmount(disk);
            }
        }

        /**
         * The data directory's file sinks cannot be written (the lake, dead-letter and alert folders read-only, while
         * records keep coming and a poison record arrives): everything waits; once writable, nothing is lost. And
         * an unwritable data directory at startup stops the application with a clear error.
         */
        @Test
        @Execution(ExecutionMode.CONCURRENT)
        void anUnwritableDataDirectoryLosesNothing(@TempDir Path data) throws Exception {
            Mounts.requireMount(data.resolve("probe"));
            LocalScenario s = new LocalScenario(data.resolve("data"));
            Map<String, String> p = s.properties();
            // The dead-letter fallback stays writable: where nothing can take a dead letter, it waits (a full disk).
            List<Path> folders = List.of(s.data.resolve("raw"), s.data.resolve("dead-letter"), s.data.resolve("alerts"));
            int storedWhileReadOnly;
            int notInLake;
            try (PipelineRunner app = PipelineRunner.start(p)) {
                assertThat(Await.until(() -> s.rows() >= 20, Duration.ofSeconds(120))).isTrue();
                for (Path folder : folders) {
                    Mounts.readOnly(folder);
                }
                try {
                    s.append("POISON", "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    int at = s.rows();
                    assertThat(Await.until(() -> s.rows() >= at + 15, Duration.ofSeconds(120))).isTrue();
                    storedWhileReadOnly = s.rows() - at;
                    notInLake = s.storedNotInLake();
                } finally {
                    for (Path folder : folders) {
                        Mounts.unmount(folder);
                    }
                }
                app.context().getRouteController().stopRoute("quote-fetch");
                assertThat(Await.until(() -> s.drained() && s.invariants().hold(), SETTLE, Duration.ofSeconds(1)))
                        .as(s.invariants().figures()).isTrue();
            }
            AwsScenario.Invariants after = s.invariants();
            // An unwritable data directory at startup: the application does not start, and says why.
            Path readOnlyDir = data.resolve("read-only");
            java.nio.file.Files.createDirectories(readOnlyDir);
            Mounts.readOnly(readOnlyDir);
            String startupError;
            try {
                Map<String, String> q = new LocalScenario(readOnlyDir.resolve("data")).properties();
                q.put("camel.main.name", "qp-read-only");
                try (PipelineRunner ignored = PipelineRunner.start(q)) {
                    startupError = null;
                } catch (Exception e) {
                    startupError = String.valueOf(dev.quotestream.core.DeadLetter.rootCause(e).getMessage());
                }
            } finally {
                Mounts.unmount(readOnlyDir);
            }
            ReliabilityReport.row("unwritable data directory (lake, dead-letter and alert folders read-only mounts)",
                    "writes wait and retry; nothing lost; at startup a clear error",
                    storedWhileReadOnly + " quotes stored while read-only, " + notInLake + " of them not in the lake "
                            + "until it was writable; after: " + after.figures() + "; startup on a read-only directory: "
                            + startupError, after.recordsIn() + " records");
            assertThat(after.hold()).as(after.figures()).isTrue();
            assertThat(notInLake).isPositive();
            assertThat(startupError).isNotNull().contains(readOnlyDir.toString());
            assertThat(s.brokenFiles()).isEmpty();
        }

        /**
         * A stop while the table is stuck (quotes.db locked by another program): the stop does not wait out retries,
         * and the records still queued stay in the stream (on disk) and are stored after the restart.
         */
        @Test
        @Execution(ExecutionMode.CONCURRENT)
        void aStopWithAStuckTableKeepsTheQueue(@TempDir Path data) throws Exception {
            LocalScenario s = new LocalScenario(data.resolve("data"));
            Map<String, String> p = s.properties();
            long stopMs;
            int queuedAtStop;
            try (PipelineRunner app = PipelineRunner.start(p)) {
                assertThat(Await.until(() -> s.rows() >= 10, Duration.ofSeconds(120))).isTrue();
                try (java.sql.Connection lock = java.sql.DriverManager.getConnection("jdbc:sqlite:" + s.data.resolve("quotes.db"))) {
                    lock.createStatement().execute("PRAGMA busy_timeout=30000");
                    lock.createStatement().execute("BEGIN EXCLUSIVE"); // another program holds the table
                    int lockedAt = s.recordsIn();
                    assertThat(Await.until(() -> s.recordsIn() >= lockedAt + 25, Duration.ofSeconds(120))).isTrue();
                    queuedAtStop = s.recordsIn() - lockedAt;
                    long t0 = System.nanoTime();
                    app.close();
                    stopMs = (System.nanoTime() - t0) / 1_000_000;
                    lock.createStatement().execute("ROLLBACK");
                }
            }
            p.put("pipeline.fetch-in-camel", "false");
            try (PipelineRunner app = PipelineRunner.start(p)) {
                assertThat(Await.until(() -> s.drained() && s.invariants().hold(), SETTLE, Duration.ofSeconds(1)))
                        .as(s.invariants().figures()).isTrue();
            }
            AwsScenario.Invariants after = s.invariants();
            ReliabilityReport.row("local stop while quotes.db is locked", "the stop ends retries; the queue stays on "
                    + "disk and is stored after the restart", queuedAtStop + " records queued behind the lock at the stop, "
                    + "stop took " + stopMs + " ms; after the restart: " + after.figures(), after.recordsIn() + " records");
            assertThat(after.hold()).as(after.figures()).isTrue();
            assertThat(stopMs).isLessThan(30_000);
        }
    }
}
