package dev.quotestream.dashboard;

import org.apache.camel.Message;

/**
 * Response headers for every dashboard answer: no sniffing, no framing, same-origin only. (Camel's HTTP
 * header filter drops Cache-Control; the page fetches with cache 'no-store' instead.)
 */
final class SecurityHeaders {

    /** Scripts, styles, data and images from this server only; no inline script, no plugins, no frames. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    static void apply(Message message) {
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("X-Frame-Options", "DENY");
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setHeader("Content-Security-Policy", CSP);
    }
}
