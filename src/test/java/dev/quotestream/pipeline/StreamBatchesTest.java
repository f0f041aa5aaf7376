package dev.quotestream.pipeline;

import dev.quotestream.core.Failures;
import dev.quotestream.core.StreamPositions;
import dev.quotestream.core.StreamRecord;
import dev.quotestream.core.metrics.QuoteMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The route's batches and the alert rule's stream order. A batch's failure is retried for as long as it lasts, so
 * a later batch never runs before it; only a stop ends the retries. A batch already queued behind the failed one
 * then does not begin: had it run, its quotes would move the alert state past the failed batch's, which the next
 * start reads again and would find to be replays (a crossing never alerted).
 */
class StreamBatchesTest {

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final StreamBatches batches = new StreamBatches(context, new QuoteMetrics(), new Failures(t -> null),
            null, new StreamPositions(), new LakeRecords("raw", 100, 1000));

    @AfterEach
    void stop() {
        context.stop();
    }

    private Exchange batchOf(String... quotes) {
        List<StreamRecord> records = new ArrayList<>();
        for (String quote : quotes) {
            records.add(new StreamRecord(null, null, "NVDA", quote.getBytes(StandardCharsets.UTF_8),
                    Instant.parse("2026-11-25T14:40:01Z")));
        }
        Exchange exchange = new DefaultExchange(context);
        exchange.getExchangeExtension().setFromRouteId("quote-process");
        exchange.getMessage().setBody(records);
        return exchange;
    }

    private static String nvda(String time, String price) {
        return "{\"symbol\":\"NVDA\",\"timestamp\":\"2026-11-25T" + time + "Z\",\"open\":100,\"high\":130,\"low\":80,"
                + "\"price\":" + price + ",\"volume\":1000,\"previous_close\":100,\"currency\":\"USD\","
                + "\"exchange_timezone\":\"America/New_York\"}";
    }

    @Test
    void whileStoppingNoBatchBeginsBehindOneThatFailed() {
        context.start();
        batches.decide(batchOf(nvda("14:40:00", "110"))); // its table or alert write fails until the stop ends it
        context.stop();

        assertThatThrownBy(() -> batches.decide(batchOf(nvda("14:41:00", "101"))))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("held back behind an earlier batch that failed");
        assertThatThrownBy(() -> batches.decide(batchOf(nvda("14:42:00", "112"))))
                .isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aStopAloneOrABatchThatEndedHoldsNothingBack() {
        context.start();
        Exchange first = batchOf();
        batches.decide(first);
        batches.settle(first);
        context.stop();

        assertThat(batches.decide(batchOf(nvda("14:41:00", "101"))).ok()).hasSize(1);
    }
}
