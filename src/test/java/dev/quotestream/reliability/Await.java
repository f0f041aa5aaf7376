package dev.quotestream.reliability;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Waits for a condition on data at rest (items in a table, objects in a bucket, lines in a file): stores have no
 * events to wait on, so the condition is checked every quarter of a second until it holds or the timeout passes.
 */
final class Await {

    private Await() {
    }

    static boolean until(Callable<Boolean> condition, Duration timeout) throws InterruptedException {
        return until(condition, timeout, Duration.ofMillis(250));
    }

    /** The same, checking every {@code every} (a check that reads a whole bucket is not free). */
    static boolean until(Callable<Boolean> condition, Duration timeout, Duration every) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return true;
                }
            } catch (IllegalStateException fatal) {
                throw fatal;
            } catch (Exception notYet) {
                // a store that is unreachable for the moment (an outage this test made) is not an answer yet
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(every.toMillis());
        }
    }

    /** Lets an outage last its length: the scenario's own duration, not a wait for an event. */
    static void outage(Duration length) throws InterruptedException {
        Thread.sleep(length.toMillis());
    }
}
