package dev.quotestream.quotes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Helpers the fetch route calls: a published record from a quote's JSON, and a failed publish as an error. */
public final class QuoteRecords {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private QuoteRecords() {
    }

    public static QuotePublisher.Record of(String symbol, String json) throws java.io.IOException {
        JsonNode node = MAPPER.readTree(json);
        return new QuotePublisher.Record(symbol, node.path("timestamp").asText(), json);
    }

    /** Thrown for a record the publisher gave up on, so that the fetch's dead-letter path takes it. */
    public static final class PublishFailedException extends RuntimeException {
        public PublishFailedException(String message) {
            super(message);
        }
    }

    public static void fail(QuotePublisher.Failure failure) {
        throw new PublishFailedException("publish of " + failure.record().symbol() + " at "
                + failure.record().timestamp() + " failed: " + failure.reason());
    }
}
