package dev.quotestream.local;

import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.ScheduledPollEndpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * {@code local-stream:<name>}: the local profile's stream as a Camel endpoint, over a {@link LocalStreamLog}.
 * The producer appends one record, or a List of records (a fetch cycle), each with its partition key (header
 * {@code CamelAwsKinesisPartitionKey}, or a {@code Map.Entry} of key and data); the records are on disk when it
 * returns. The consumer polls each shard in order after its checkpoint and sets the same headers as the Kinesis
 * consumer (shard id, sequence number, partition key, arrival), so the same route and checkpoint logic serve both.
 */
public class LocalStreamComponent extends DefaultComponent {

    public static final String PARTITION_KEY = "CamelAwsKinesisPartitionKey";
    public static final String SHARD_ID = "CamelAwsKinesisShardId";
    public static final String SEQUENCE_NUMBER = "CamelAwsKinesisSequenceNumber";
    public static final String ARRIVAL = "CamelAwsKinesisApproximateArrivalTimestamp";

    private final LocalStreamLog log;

    public LocalStreamComponent(LocalStreamLog log) {
        this.log = log;
    }

    @Override
    protected org.apache.camel.Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
            throws Exception {
        if (!remaining.equals(log.stream())) {
            throw new IllegalArgumentException("local-stream:" + remaining + " is not the configured local stream '"
                    + log.stream() + "'");
        }
        Endpoint endpoint = new Endpoint(uri, this);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public static class Endpoint extends ScheduledPollEndpoint {
        @UriParam(defaultValue = "500")
        private int maxRecordsPerPoll = 500;

        Endpoint(String uri, LocalStreamComponent component) {
            super(uri, component);
        }

        LocalStreamLog log() {
            return ((LocalStreamComponent) getComponent()).log;
        }

        public int getMaxRecordsPerPoll() {
            return maxRecordsPerPoll;
        }

        public void setMaxRecordsPerPoll(int maxRecordsPerPoll) {
            this.maxRecordsPerPoll = maxRecordsPerPoll;
        }

        @Override
        public Producer createProducer() {
            return new StreamProducer(this);
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            StreamConsumer consumer = new StreamConsumer(this, processor);
            configureConsumer(consumer);
            return consumer;
        }
    }

    static final class StreamProducer extends DefaultProducer {
        StreamProducer(Endpoint endpoint) {
            super(endpoint);
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            Object body = exchange.getMessage().getBody();
            String headerKey = exchange.getMessage().getHeader(PARTITION_KEY, String.class);
            List<LocalStreamLog.Append> records = new ArrayList<>();
            if (body instanceof List<?> list) {
                for (Object element : list) {
                    records.add(append(element, headerKey, exchange));
                }
            } else {
                records.add(append(body, headerKey, exchange));
            }
            List<Long> sequences = ((Endpoint) getEndpoint()).log().append(records);
            if (sequences.size() == 1) {
                exchange.getMessage().setHeader(SEQUENCE_NUMBER, String.valueOf(sequences.get(0)));
            }
        }

        private static LocalStreamLog.Append append(Object element, String headerKey, Exchange exchange) {
            if (element instanceof Map.Entry<?, ?> keyed) {
                return new LocalStreamLog.Append(String.valueOf(keyed.getKey()), bytes(keyed.getValue(), exchange));
            }
            return new LocalStreamLog.Append(headerKey == null ? "" : headerKey, bytes(element, exchange));
        }

        private static byte[] bytes(Object value, Exchange exchange) {
            if (value instanceof byte[] b) {
                return b;
            }
            if (value instanceof CharSequence text) {
                return text.toString().getBytes(StandardCharsets.UTF_8);
            }
            byte[] converted = exchange.getContext().getTypeConverter().convertTo(byte[].class, exchange, value);
            if (converted == null) {
                throw new IllegalArgumentException("cannot append a " + (value == null ? "null" : value.getClass().getName())
                        + " to the local stream");
            }
            return converted;
        }
    }

    static final class StreamConsumer extends ScheduledBatchPollingConsumer {
        private final Map<String, Long> lastRead = new HashMap<>();

        StreamConsumer(Endpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        public Endpoint getEndpoint() {
            return (Endpoint) super.getEndpoint();
        }

        @Override
        protected int poll() throws Exception {
            LocalStreamLog log = getEndpoint().log();
            int processed = 0;
            for (int i = 0; i < log.shards(); i++) {
                String shard = LocalStreamLog.shardId(i);
                long after = lastRead.computeIfAbsent(shard, s -> {
                    String checkpoint = log.load(s);
                    return checkpoint == null ? 0L : Long.parseLong(checkpoint);
                });
                List<LocalStreamLog.Entry> entries = log.read(shard, after, getEndpoint().getMaxRecordsPerPoll());
                if (entries.isEmpty()) {
                    continue;
                }
                Queue<Object> exchanges = new LinkedList<>();
                for (LocalStreamLog.Entry e : entries) {
                    Exchange exchange = createExchange(true);
                    exchange.getIn().setBody(e.data());
                    exchange.getIn().setHeader(SHARD_ID, e.shard());
                    exchange.getIn().setHeader(SEQUENCE_NUMBER, String.valueOf(e.sequence()));
                    exchange.getIn().setHeader(PARTITION_KEY, e.partitionKey());
                    exchange.getIn().setHeader(ARRIVAL, e.arrival());
                    exchange.getIn().setHeader(Exchange.MESSAGE_TIMESTAMP, e.arrival().toEpochMilli());
                    exchanges.add(exchange);
                }
                lastRead.put(shard, entries.get(entries.size() - 1).sequence());
                processed += processBatch(exchanges);
            }
            return processed;
        }

        @Override
        public int processBatch(Queue<Object> exchanges) {
            int total = exchanges.size();
            int index = 0;
            while (!exchanges.isEmpty()) {
                Exchange exchange = (Exchange) exchanges.poll();
                exchange.setProperty(Exchange.BATCH_INDEX, index);
                exchange.setProperty(Exchange.BATCH_SIZE, total);
                exchange.setProperty(Exchange.BATCH_COMPLETE, index == total - 1);
                index++;
                pendingExchanges = total - index;
                try {
                    getProcessor().process(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                }
                if (exchange.getException() != null) {
                    getExceptionHandler().handleException("Error processing local stream record", exchange,
                            exchange.getException());
                }
            }
            return total;
        }
    }
}
