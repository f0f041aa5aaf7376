package dev.quotestream.lambda;

import dev.quotestream.core.BatchEvents;
import dev.quotestream.core.DeadLetter;
import dev.quotestream.core.PendingAlert;
import dev.quotestream.core.StreamRecord;

/** The core's batch events as the Lambda's structured log lines (one JSON object per line). */
final class BatchLog implements BatchEvents {

    private final JsonLog log;
    private final String deadLetterPrefix;
    private volatile String requestId;

    BatchLog(JsonLog log, String deadLetterPrefix) {
        this.log = log;
        this.deadLetterPrefix = deadLetterPrefix;
    }

    /** The invocation the next lines belong to (one batch at a time per container). */
    void requestId(String requestId) {
        this.requestId = requestId;
    }

    @Override
    public void deadLettered(DeadLetter letter, StreamRecord record) {
        log.warn("dead_lettered", "dead-lettered " + letter.stage() + " input: " + letter.reason(), null,
                "stage", letter.stage(), "symbol", letter.symbol(), "key", letter.key(deadLetterPrefix),
                "sequence_number", record == null ? null : record.sequence(), "request_id", requestId);
    }

    @Override
    public void deadLetterFailed(DeadLetter letter, Throwable failure) {
        log.error("dead_letter_failed", "could not dead-letter a rejected input; its record is reported failed",
                failure, "stage", letter.stage(), "symbol", letter.symbol(), "request_id", requestId);
    }

    @Override
    public void alertPublished(PendingAlert alert) {
        log.info("alert_published", alert.text(), "symbol", alert.symbol(), "alert_key", alert.key(),
                "request_id", requestId);
    }

    @Override
    public void alertFailed(PendingAlert alert, Throwable failure) {
        log.warn("alert_pending", "alert not published; it stays in the outbox and its records are retried", failure,
                "symbol", alert.symbol(), "alert_key", alert.key(), "request_id", requestId);
    }

    @Override
    public void alertStateNotRead(Throwable failure) {
        log.warn("alert_state_not_read", "the batch's alert state was not read in one go; each symbol is read alone",
                failure, "request_id", requestId);
    }

    @Override
    public void lakeObjectWritten(String partition, int lines) {
        log.info("lake_object_written", lines + " quotes -> " + partition, "partition", partition, "records", lines,
                "request_id", requestId);
    }

    @Override
    public void lakeObjectFailed(String partition, Throwable failure) {
        log.warn("lake_write_failed", "lake object not written; its records will be retried", failure,
                "partition", partition, "request_id", requestId);
    }
}
