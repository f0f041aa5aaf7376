package dev.quotestream.core.aws;

import java.util.concurrent.ThreadLocalRandom;

/** The pause between a DynamoDB batch call and the next one for what it left unprocessed: exponential, jittered. */
final class Backoff {

    private Backoff() {
    }

    /** Between half and all of {@code base * 2^(attempt-1)}, capped at {@code max} (milliseconds). */
    static long millis(int attempt, long base, long max) {
        long cap = Math.min(max, base << Math.min(16, attempt - 1));
        return ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
    }

    static void sleep(long ms, String what) {
        try {
            Thread.sleep(ms); // backoff between batch calls (production pacing, not a test wait)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying " + what, e);
        }
    }
}
