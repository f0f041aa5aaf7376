package dev.quotestream.core;

/** Port: one alert out (SNS: its subject, message JSON and the contract's three attributes). Throws when not sent. */
public interface AlertPublisher {

    void publish(PendingAlert alert);
}
