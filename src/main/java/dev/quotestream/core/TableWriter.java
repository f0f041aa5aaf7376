package dev.quotestream.core;

import dev.quotestream.core.metrics.ProcessedQuote;

import java.util.List;

/** Port: the processed records of one batch into the table (DynamoDB BatchWriteItem, or one SQLite transaction). */
public interface TableWriter {

    /**
     * Writes one item per quote (PutItem semantics: a later quote with the same key replaces the row).
     *
     * @return per quote, in the same order: null when stored, else why not (poison or transient, for {@link Failures})
     */
    List<RuntimeException> write(List<ProcessedQuote> quotes);
}
