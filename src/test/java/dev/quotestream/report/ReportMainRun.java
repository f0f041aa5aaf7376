package dev.quotestream.report;

import org.apache.camel.main.Main;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs the application's Camel Main once on demand, as {@link ReportNow} does, with override properties. */
final class ReportMainRun {

    private ReportMainRun() {
    }

    static ReportOutcome run(Map<String, String> overrides, Consumer<Main> whileRunning) throws Exception {
        return run(overrides, true, null, whileRunning);
    }

    /**
     * @param runNow   run the report on demand and wait for its outcome
     * @param until    else: wait (up to 120 s) until this holds, e.g. the scheduled report wrote its files
     */
    static ReportOutcome run(Map<String, String> overrides, boolean runNow, java.util.function.BooleanSupplier until,
                             Consumer<Main> whileRunning) throws Exception {
        Main main = new Main();
        ReportOutcome outcome = new ReportOutcome();
        main.bind("reportOutcome", outcome);
        main.addOverrideProperty("camel.main.routes-include-pattern", "classpath:routes/report.yaml");
        // No dashboard server: a report run beside the running application must not take (or fail on) its port.
        main.addOverrideProperty("dashboard.enabled", "false");
        main.addOverrideProperty("quotes.base-url", "http://report-test.invalid");
        main.addOverrideProperty("report.run-now", String.valueOf(runNow));
        main.addOverrideProperty("report.run-now-delay-ms", "100");
        overrides.forEach(main::addOverrideProperty);
        // The profile picks the profile properties file before overrides apply: set it the way -D would.
        if (overrides.containsKey("camel.main.profile")) {
            main.configure().setProfile(overrides.get("camel.main.profile"));
        }
        Thread runner = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                outcome.failed(e);
            }
        }, "report-main-run");
        runner.start();
        try {
            if (runNow && !outcome.await(120, TimeUnit.SECONDS)) {
                throw new AssertionError("the on-demand report did not finish within 120 s");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!runNow && !until.getAsBoolean()) {
                if (outcome.failure() != null) {
                    throw new AssertionError("Camel Main failed", outcome.failure());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met within 120 s");
                }
                Thread.sleep(200);
            }
            whileRunning.accept(main);
        } finally {
            main.stop();
            runner.join(30_000);
        }
        return outcome;
    }
}
