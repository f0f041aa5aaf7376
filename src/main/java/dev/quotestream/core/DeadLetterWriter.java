package dev.quotestream.core;

/** Port: a dead letter to its sink, at its deterministic key (a redelivery overwrites it). Throws when not written. */
public interface DeadLetterWriter {

    void write(DeadLetter letter);
}
