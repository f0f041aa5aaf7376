package dev.quotestream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The naive seed's own quote sequence (its {@code quotes()} generator, seed 7, emitted by
 * bench/naive-seed/emit-seed-quotes.py, which imports it unchanged), converted to the project's stream contract
 * (docs/data-contract.md §1): prices rounded to {@value #DECIMALS} decimal places (the contract allows at most 12; the
 * seed's doubles carry up to 17 digits), {@code currency} USD and {@code exchange_timezone} America/New_York added.
 * Timestamps are the seed's (2026-09-21T14:13:20Z plus one second per record): after 2000, before now + 1 day.
 */
final class SeedQuotes {

    static final int DECIMALS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PRICES = List.of("open", "high", "low", "price", "previous_close");

    private SeedQuotes() {
    }

    /** The seed's first {@code n} quotes for {@code symbols} symbols, one JSON object per element, contract format. */
    static List<String> contractRecords(Path repo, int n, int symbols) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", repo.resolve("bench/naive-seed/emit-seed-quotes.py").toString(),
                String.valueOf(n), String.valueOf(symbols)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("emit-seed-quotes.py failed");
        }
        List<String> out = new ArrayList<>(n);
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.add(toContract(line));
            }
        }
        if (out.size() != n) {
            throw new IllegalStateException("expected " + n + " seed quotes, got " + out.size());
        }
        return out;
    }

    static String toContract(String seedJson) throws IOException {
        JsonNode q = JSON.readTree(seedJson);
        ObjectNode o = JSON.createObjectNode();
        o.put("symbol", q.get("symbol").asText());
        o.put("timestamp", q.get("timestamp").asText());
        for (String f : List.of("open", "high", "low", "price")) {
            o.put(f, round(q.get(f)));
        }
        o.put("volume", q.get("volume").asLong());
        o.put("previous_close", round(q.get("previous_close")));
        o.put("currency", "USD");
        o.put("exchange_timezone", "America/New_York");
        return JSON.writeValueAsString(o);
    }

    /** The same quote under another symbol (warm-up records that do not touch the measured symbols' state). */
    static String renamed(String contractJson, String prefix) throws IOException {
        ObjectNode o = (ObjectNode) JSON.readTree(contractJson);
        o.put("symbol", prefix + o.get("symbol").asText().substring(3));
        return JSON.writeValueAsString(o);
    }

    static String symbol(String contractJson) throws IOException {
        return JSON.readTree(contractJson).get("symbol").asText();
    }

    private static BigDecimal round(JsonNode value) {
        BigDecimal d = new BigDecimal(value.asText()).setScale(DECIMALS, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    static List<String> priceFields() {
        return PRICES;
    }
}
