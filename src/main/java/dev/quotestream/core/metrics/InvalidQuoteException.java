package dev.quotestream.core.metrics;

/** A quote that can never be processed: retrying will not help, so it goes to the dead letter. */
public class InvalidQuoteException extends IllegalArgumentException {
    public InvalidQuoteException(String reason) {
        super(reason);
    }
}
