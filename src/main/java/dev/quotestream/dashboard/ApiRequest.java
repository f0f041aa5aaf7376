package dev.quotestream.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One API request, parsed strictly from the raw request line (never from message headers, which a client
 * could also set): known parameters only, each at most once, percent-decoding that must be valid.
 */
public final class ApiRequest {

    /** The contract's ticker pattern (docs/data-contract.md §1). */
    public static final Pattern SYMBOL = Pattern.compile("[A-Z0-9^][A-Z0-9.\\-=^]{0,19}");
    private static final int MAX_URI = 2048;

    private final String path;
    private final Map<String, String> params;

    private ApiRequest(String path, Map<String, String> params) {
        this.path = path;
        this.params = params;
    }

    /** @param uri the request's path and query as received, still percent-encoded */
    public static ApiRequest parse(String uri, Set<String> allowed) {
        if (uri == null || uri.isEmpty()) {
            throw ApiError.badRequest("empty request URI");
        }
        if (uri.length() > MAX_URI) {
            throw ApiError.badRequest("request URI longer than " + MAX_URI + " characters");
        }
        if (uri.startsWith("http://") || uri.startsWith("https://")) { // absolute-form request target
            int slash = uri.indexOf('/', uri.indexOf("//") + 2);
            uri = slash < 0 ? "/" : uri.substring(slash);
        }
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? "" : uri.substring(q + 1);
        Map<String, String> params = new LinkedHashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&", -1)) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), "parameter name");
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "parameter '" + name + "'");
                if (!allowed.contains(name)) {
                    throw ApiError.badRequest(allowed.isEmpty() ? "this endpoint takes no parameters"
                            : "unknown parameter; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
                }
                if (params.putIfAbsent(name, value) != null) {
                    throw ApiError.badRequest("parameter '" + name + "' given more than once");
                }
            }
        }
        return new ApiRequest(path, params);
    }

    private static String decode(String raw, String what) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(what + " is not valid percent-encoding");
        }
    }

    /** The path segment after {@code prefix}, decoded: exactly one segment. */
    public String segmentAfter(String prefix, String what) {
        if (!path.startsWith(prefix)) {
            throw ApiError.badRequest("missing " + what);
        }
        String raw = path.substring(prefix.length());
        if (raw.isEmpty()) {
            throw ApiError.badRequest("missing " + what);
        }
        if (raw.contains("/")) {
            throw ApiError.badRequest(what + " must be one path segment");
        }
        return decode(raw, what);
    }

    /** A configured ticker: the contract's pattern, then membership. */
    public static String symbol(String value, Set<String> configured) {
        if (!SYMBOL.matcher(value).matches()) {
            throw ApiError.badRequest("symbol must be an upper-case ticker matching " + SYMBOL.pattern());
        }
        if (!configured.contains(value)) {
            throw ApiError.badRequest("unknown symbol: not one of the configured symbols (see /api/symbols)");
        }
        return value;
    }

    public String param(String name) {
        return params.get(name);
    }

    /** An ISO-8601 instant with a zone (2026-11-25T14:40:00Z or 2026-11-25T09:40:00-05:00), within bounds. */
    public Instant instant(String name, Instant fallback, Instant earliest, Instant latest) {
        String v = params.get(name);
        if (v == null) {
            return fallback;
        }
        Instant t;
        try {
            t = v.endsWith("Z") || v.endsWith("z") ? Instant.parse(v.toUpperCase()) : OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeException e) {
            throw ApiError.badRequest("parameter '" + name + "' must be an ISO-8601 time with a zone, "
                    + "for example 2026-11-25T14:40:00Z (a '+' offset must be sent as %2B)");
        }
        if (t.isBefore(earliest) || t.isAfter(latest)) {
            throw ApiError.badRequest("parameter '" + name + "' must be between " + earliest + " and " + latest);
        }
        return t;
    }

    public int integer(String name, int fallback, int min, int max) {
        String v = params.get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.matches("[0-9]{1,9}")) {
            throw ApiError.badRequest("parameter '" + name + "' must be a whole number from " + min + " to " + max);
        }
        int n = Integer.parseInt(v);
        if (n < min || n > max) {
            throw ApiError.badRequest("parameter '" + name + "' must be from " + min + " to " + max);
        }
        return n;
    }
}
