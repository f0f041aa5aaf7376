package dev.quotestream.report;

import org.apache.camel.main.Main;

import java.util.concurrent.TimeUnit;

/**
 * Runs the report once, now, and exits: {@code mvn -q compile exec:java@report -Dreport.date=2026-11-25}.
 * Same configuration, profile and route as the scheduled report; only the report routes are loaded (the
 * pipeline is not started). Exit code 0 when the report was delivered, 1 otherwise.
 */
public final class ReportNow {

    private ReportNow() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        ReportOutcome outcome = new ReportOutcome();
        main.bind("reportOutcome", outcome);
        main.addOverrideProperty("report.run-now", "true");
        main.addOverrideProperty("report.schedule-enabled", "false");
        main.addOverrideProperty("camel.main.routes-include-pattern", "classpath:routes/report.yaml");
        // No dashboard server: a report run beside the running application must not take (or fail on) its port.
        main.addOverrideProperty("dashboard.enabled", "false");
        // The local market simulator is not needed to report on the lake.
        main.addOverrideProperty("quotes.base-url", "http://report-now.invalid");
        Thread runner = new Thread(() -> {
            try {
                main.run(args);
            } catch (Exception e) {
                outcome.failed(e);
            }
        }, "report-now");
        runner.start();
        long timeoutMinutes = Long.getLong("report.run-now-timeout-minutes", 30);
        boolean finished = outcome.await(timeoutMinutes, TimeUnit.MINUTES);
        main.stop();
        runner.join(TimeUnit.SECONDS.toMillis(60));
        if (!finished) {
            System.err.println("report did not finish within " + timeoutMinutes + " minutes");
            System.exit(2);
        }
        if (outcome.failure() != null) {
            System.err.println("report failed: " + outcome.failure());
            System.exit(1);
        }
        System.out.println("Report delivered: " + outcome.receipt());
        System.exit(0);
    }
}
