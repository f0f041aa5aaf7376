package dev.quotestream.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The alerts the pipeline sent, kept at rest where the dashboard can query them (docs/data-contract.md §7):
 * the alert sink appends each alert after it was published; the API reads them back. Locally an SQLite
 * table beside the quotes, on AWS items in the quotes table (SNS itself keeps nothing to read back).
 */
public interface AlertLog {

    /** Stores one alert message (contract §5 JSON). Idempotent: the same alert stored twice is one entry. */
    default void append(String alertJson) throws Exception {
        appendAll(List.of(alertJson));
    }

    /** Stores the alerts published together (a batch's), in one write where the store can. Idempotent. */
    void appendAll(List<String> alertJsons) throws Exception;

    /** {@link #appendAll} of published alerts: the route's step ({@code alerts.log-uri}). */
    default void appendPublished(List<dev.quotestream.core.PendingAlert> alerts) throws Exception {
        appendAll(alerts.stream().map(dev.quotestream.core.PendingAlert::json).toList());
    }

    /** Alerts whose market timestamp is at or after {@code since}, newest first, at most {@code limit}. */
    List<Map<String, Object>> since(Instant since, int limit);
}
