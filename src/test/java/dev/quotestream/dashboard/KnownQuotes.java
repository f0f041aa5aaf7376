package dev.quotestream.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quotestream.pipeline.ExchangeCounter;
import org.apache.camel.CamelContext;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fixed set of stream records (contract §1) put on the stream of a running application, whatever its
 * profile: AAPL stays within 5 %; MSFT crosses twice (-7.5 %, then +10.25 %, critical) with a quote between
 * that stays beyond the threshold and one back within it.
 */
final class KnownQuotes {

    static final List<String> SYMBOLS = List.of("AAPL", "MSFT");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One minute apart from {@code start}; in publishing order. */
    static List<Map<String, Object>> records(Instant start) {
        List<Map<String, Object>> out = new ArrayList<>();
        double[] aapl = {100.5, 101.25, 99.8, 100.1234, 100.9};
        double[] msft = {201, 185, 186, 199, 220.5};
        for (int i = 0; i < 5; i++) {
            out.add(quote("AAPL", start.plus(i, ChronoUnit.MINUTES), aapl[i], 100, 1000 + i));
            out.add(quote("MSFT", start.plus(i, ChronoUnit.MINUTES), msft[i], 200, 2_000_000_000L + i));
        }
        return out;
    }

    private static Map<String, Object> quote(String symbol, Instant t, double price, double previousClose, long volume) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("symbol", symbol);
        q.put("timestamp", t.toString());
        q.put("open", previousClose);
        q.put("high", Math.max(price, previousClose) + 1);
        q.put("low", Math.min(price, previousClose) - 1);
        q.put("price", price);
        q.put("volume", volume);
        q.put("previous_close", previousClose);
        q.put("currency", "USD");
        q.put("exchange_timezone", "America/New_York");
        return q;
    }

    /** A start in the past, on whole minutes, that the two profiles of one test share. */
    static Instant start() {
        return Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(30, ChronoUnit.MINUTES);
    }

    /** Publishes the records to {{stream.uri}} and waits until every one reached the table sink. */
    static void publishAndAwait(CamelContext context, List<Map<String, Object>> records) throws Exception {
        ExchangeCounter stored = ExchangeCounter.sentTo(context, "{{table.uri}}");
        var producer = context.createProducerTemplate();
        String stream = context.resolvePropertyPlaceholders("{{stream.uri}}");
        for (Map<String, Object> r : records) {
            producer.sendBodyAndHeader(stream, JSON.writeValueAsString(r), "CamelAwsKinesisPartitionKey", r.get("symbol"));
        }
        assertThat(stored.await(records.size(), Duration.ofSeconds(90))).as("all known quotes stored").isTrue();
    }
}
