package dev.quotestream.core;

/** What a batch did, for the binding's logs and metrics (the core itself logs nothing). Every method is optional. */
public interface BatchEvents {

    BatchEvents NONE = new BatchEvents() {
    };

    default void deadLettered(DeadLetter letter, StreamRecord record) {
    }

    default void deadLetterFailed(DeadLetter letter, Throwable failure) {
    }

    default void alertPublished(PendingAlert alert) {
    }

    default void alertFailed(PendingAlert alert, Throwable failure) {
    }

    /** The batch's alert state could not be read in one go: each symbol-day is read alone instead. */
    default void alertStateNotRead(Throwable failure) {
    }

    default void lakeObjectWritten(String partition, int lines) {
    }

    default void lakeObjectFailed(String partition, Throwable failure) {
    }
}
