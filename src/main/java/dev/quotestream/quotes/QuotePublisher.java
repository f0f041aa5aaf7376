package dev.quotestream.quotes;

import java.util.List;

/**
 * Publishes one fetch cycle's quotes to the stream, keyed by symbol, and says which made it. The binding
 * chooses the implementation: the local profile sends each record to the in-process queue
 * ({@link EndpointQuotePublisher}), the aws profile batches them with Kinesis PutRecords
 * ({@code dev.quotestream.aws.KinesisQuotePublisher}).
 */
public interface QuotePublisher {

    /** One quote as published: the partition key and the JSON record. */
    record Record(String symbol, String timestamp, String json) {
    }

    /** A record that could not be published, with why (after the publisher's own retries). */
    record Failure(Record record, String reason) {
    }

    record Result(List<Record> published, List<Failure> failed) {
    }

    Result publish(List<Record> records);
}
