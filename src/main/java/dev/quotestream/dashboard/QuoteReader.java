package dev.quotestream.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads processed records (docs/data-contract.md §2) from the active binding's table: SQLite locally,
 * DynamoDB on AWS (Query on the key, never Scan). Items come back as contract attribute maps, normalized
 * by {@link TableValues} so that both bindings give the same values.
 */
public interface QuoteReader {

    /** Quotes of one symbol with from &lt;= timestamp &lt;= to, oldest first, at most {@code limit}. */
    List<Map<String, Object>> quotes(String symbol, Instant from, Instant to, int limit);

    /** The newest stored quote of a symbol. */
    Optional<Map<String, Object>> latest(String symbol);
}
