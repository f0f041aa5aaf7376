package dev.quotestream.core;

import dev.quotestream.core.metrics.ProcessedQuote;

/**
 * What became of one record of a batch, decided in one place ({@link Batch#outcomes()}).
 *
 * @param quote  the decoded quote, or null when the record could not be decoded
 * @param reason why it was dead-lettered or must be retried; null when stored
 */
public record Outcome(StreamRecord record, Status status, String reason, ProcessedQuote quote) {

    public enum Status {
        /** Table item written, alert (if any) in the outbox and published, lake line handed over. */
        STORED,
        /** Poison (no retry can fix it): its dead letter is written. */
        DEAD_LETTERED,
        /** Transient: still in the stream, to be read again (Lambda: batchItemFailures; route: checkpoint held). */
        RETRY
    }

    public boolean isFinal() {
        return status != Status.RETRY;
    }
}
