package dev.quotestream.core;

/**
 * One content type per kind of object the pipeline writes, whichever side writes it. Every object is written with
 * server-side encryption on AWS.
 */
public enum ObjectKinds {
    /** Lake objects: JSON Lines, one quote a line. */
    LAKE("application/x-ndjson"),
    /** Dead letters: one JSON object. */
    DEAD_LETTER("application/json");

    private final String contentType;

    ObjectKinds(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }
}
