package dev.quotestream.dashboard;

import java.util.List;

/**
 * The quarantine source of a build whose fetch side has no quarantine yet: the symbols this process sees
 * failing with final client errors (404 unknown symbol, 401, 400), reported as state {@code failing}, since
 * they are still fetched every cycle. Replace it with an adapter over the fetch side's quarantine registry.
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
