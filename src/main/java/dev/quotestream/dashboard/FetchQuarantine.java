package dev.quotestream.dashboard;

import dev.quotestream.quotes.SymbolQuarantine;

import java.util.List;

/** The fetch side's quarantine ({@link SymbolQuarantine}) as the dashboard shows it: state {@code quarantined}. */
public class FetchQuarantine implements QuarantineSource {

    private final SymbolQuarantine quarantine;

    public FetchQuarantine(SymbolQuarantine quarantine) {
        this.quarantine = quarantine;
    }

    @Override
    public List<QuarantinedSymbol> quarantined() {
        return quarantine.quarantined().stream()
                .map(e -> new QuarantinedSymbol(e.symbol(), "quarantined", e.since(), e.reason(), e.nextRetry()))
                .toList();
    }
}
