package dev.quotestream.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The records a scenario writes to the stream: record {@code i} is a quote of symbol {@code <prefix><i % symbols>} at
 * 2026-11-25T14:30:00Z + 10 s × i (every key unique), whose price walks 100, 101, 108, 109, 100, 90 against a previous
 * close of 100: each symbol crosses the 5 % threshold again and again (alerts), and every {@code poisonEvery}-th
 * record is not JSON (a dead letter). Its partition key is its symbol.
 */
final class ScenarioQuotes {

    private static final Instant BASE = Instant.parse("2026-11-25T14:30:00Z");
    private static final String[] PRICES = {"100", "101", "108", "109", "100", "90"};

    private final String prefix;
    private final int symbols;
    private final int poisonEvery;

    ScenarioQuotes(String prefix, int symbols, int poisonEvery) {
        this.prefix = prefix;
        this.symbols = symbols;
        this.poisonEvery = poisonEvery;
    }

    String symbol(int i) {
        return prefix + (i % symbols);
    }

    /** The symbols, comma-separated (quotes.symbols). */
    String symbols() {
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < symbols; k++) {
            out.append(k == 0 ? "" : ",").append(prefix).append(k);
        }
        return out.toString();
    }

    boolean poison(int i) {
        return poisonEvery > 0 && i % poisonEvery == poisonEvery - 1;
    }

    byte[] record(int i) {
        String symbol = symbol(i);
        if (poison(i)) {
            return ("{\"symbol\":\"" + symbol + "\",\"timestamp\":").getBytes(StandardCharsets.UTF_8);
        }
        String price = PRICES[(i / symbols) % PRICES.length];
        String json = "{\"symbol\":\"" + symbol + "\",\"timestamp\":\"" + BASE.plusSeconds(10L * i) + "\",\"open\":100,"
                + "\"high\":110,\"low\":89,\"price\":" + price + ",\"volume\":" + (1000 + i) + ",\"previous_close\":100,"
                + "\"currency\":\"USD\",\"exchange_timezone\":\"America/New_York\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
