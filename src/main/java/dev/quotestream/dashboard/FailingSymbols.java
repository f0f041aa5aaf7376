package dev.quotestream.dashboard;

import java.util.List;

/**
 * The quarantine source of an instance without the fetch side's quarantine bean: the symbols this process sees
 * failing with final client errors (404 unknown symbol, 401, 400), reported as state {@code failing}.
 */
public class FailingSymbols implements QuarantineSource {

    private final PipelineMonitor monitor;

    public FailingSymbols(PipelineMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public List<QuarantinedSymbol> quarantined() {
        return monitor.failingWithClientErrors();
    }
}
