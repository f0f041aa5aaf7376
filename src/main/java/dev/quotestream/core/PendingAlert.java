package dev.quotestream.core;

import dev.quotestream.core.metrics.AlertMessage;

import java.util.Map;

/**
 * An alert in the outbox: decided (its crossing is in the alert state) and not yet known to be published.
 *
 * @param json the message body exactly as it is published, stored with the state flip that decided it
 */
public record PendingAlert(String symbol, String tradingDay, int crossing, String json) {

    public static PendingAlert of(AlertMessage message) {
        return new PendingAlert(message.symbol(), message.tradingDay(), message.crossing(),
                Json.write(message.toAttributes()));
    }

    /** The idempotency key: {@code SYMBOL|trading day|crossing}. */
    public String key() {
        return AlertMessage.key(symbol, tradingDay, crossing);
    }

    public AlertMessage message() {
        return AlertMessage.fromAttributes(Json.readObject(json));
    }

    public String subject() {
        return message().subject();
    }

    /** The SNS message attributes: symbol, severity, alert_key. */
    public Map<String, String> attributes() {
        return message().attributes();
    }

    public String text() {
        return message().text();
    }
}
