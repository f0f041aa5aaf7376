package dev.quotestream.core;

import dev.quotestream.core.metrics.ProcessedQuote;

/** The table sink's encoder: from the processed record to what the binding's table endpoint takes. */
@FunctionalInterface
public interface TableItemEncoder {
    Object encode(ProcessedQuote quote);
}
