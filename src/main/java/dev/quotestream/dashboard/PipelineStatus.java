package dev.quotestream.dashboard;

import java.time.Instant;
import java.util.List;

/** What the pipeline is doing right now, as {@code /api/status} and the health check see it. */
public interface PipelineStatus {

    record SymbolFetch(String symbol, Instant lastAttemptAt, boolean lastOk, Instant lastSuccessAt,
                       Long latencyMs, String lastError) {
    }

    record SinkState(String route, boolean failing, Instant failingSince, Instant lastSuccessAt, String lastError) {
    }

    record Counters(long recordsIn, long stored, long deadLettered, long alerts) {
    }

    /**
     * @param lagMs      arrival in the stream to consumption, of the last record consumed (null: none yet)
     * @param backlog    records waiting in the local stream (null where the stream cannot tell)
     */
    record Stream(Long lagMs, Instant lastConsumedAt, Long backlog) {
    }

    record Snapshot(List<SymbolFetch> fetches, Counters counters, Stream stream, String breakerState,
                    Float breakerFailureRatePercent, List<SinkState> sinks) {
    }

    Snapshot snapshot();
}
