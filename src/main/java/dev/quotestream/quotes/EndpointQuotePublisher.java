package dev.quotestream.quotes;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * Sends each record, in order, to a Camel endpoint ({@code stream.uri}: the local profile's bounded queue, which
 * blocks when full). A failed send fails only that record.
 */
public class EndpointQuotePublisher implements QuotePublisher {

    public static final String PARTITION_KEY_HEADER = "CamelAwsKinesisPartitionKey";

    private final ProducerTemplate producer;
    private final String uri;

    public EndpointQuotePublisher(CamelContext context, String uri) {
        this.producer = context.createProducerTemplate();
        this.uri = uri;
    }

    @Override
    public Result publish(List<Record> records) {
        List<Record> published = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        for (Record r : records) {
            try {
                producer.sendBodyAndHeader(uri, r.json(), PARTITION_KEY_HEADER, r.symbol());
                published.add(r);
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                failed.add(new Failure(r, cause.getClass().getSimpleName() + ": " + cause.getMessage()));
            }
        }
        return new Result(published, failed);
    }
}
