package dev.quotestream.quotes;

import dev.quotestream.core.metrics.Quote;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The configured symbol list ({@code quotes.symbols}), checked once at startup: each entry is trimmed and
 * upper-cased, must match the contract's symbol pattern, and appears once. A bad entry stops startup with one
 * line that names it. Each symbol goes into the request as one percent-encoded path segment.
 */
public final class YahooSymbols {

    /** A bad symbol list: startup stops with this one line (no stack trace: the line says all there is). */
    public static final class InvalidSymbolList extends IllegalArgumentException {
        public InvalidSymbolList(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private final List<String> symbols;

    private YahooSymbols(List<String> symbols) {
        this.symbols = List.copyOf(symbols);
    }

    /**
     * @param raw the property's value as written (placeholders are NOT resolved: {@code {{env:PATH}}} is an
     *            invalid entry, never the value of PATH)
     * @throws IllegalArgumentException naming the first bad entry
     */
    public static YahooSymbols parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidSymbolList("quotes.symbols is empty: list at least one symbol, e.g. AAPL,MSFT");
        }
        Set<String> unique = new LinkedHashSet<>();
        String[] entries = raw.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i];
            String symbol = entry.trim().toUpperCase(Locale.ROOT);
            if (symbol.isEmpty()) {
                throw new InvalidSymbolList("quotes.symbols entry #" + (i + 1) + " is empty (in '" + raw + "')");
            }
            if (!Quote.SYMBOL.matcher(symbol).matches()) {
                throw new InvalidSymbolList("quotes.symbols entry #" + (i + 1) + " '" + entry.trim()
                        + "' is not a ticker symbol (allowed: " + Quote.SYMBOL.pattern()
                        + "; placeholders are not resolved in this list)");
            }
            unique.add(symbol);
        }
        return new YahooSymbols(new ArrayList<>(unique));
    }

    public List<String> list() {
        return symbols;
    }

    /** One path segment: unreserved characters (RFC 3986) kept, everything else %XX ({@code ^GSPC} → {@code %5EGSPC}). */
    public static String pathSegment(String symbol) {
        StringBuilder out = new StringBuilder();
        for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return String.join(",", symbols);
    }
}
