package dev.quotestream.dashboard;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * DOWN when a sink route has been failing, without one success, for longer than {@code dashboard.health.
 * sink-down-after-ms}: redeliveries are riding out an outage that is no longer short. A readiness check only:
 * restarting the process would not bring DynamoDB or S3 back.
 */
public class SinkHealthCheck extends AbstractHealthCheck {

    private final PipelineMonitor monitor;
    private final Duration downAfter;

    public SinkHealthCheck(PipelineMonitor monitor, Duration downAfter) {
        super("quote-pipeline", "sinks");
        this.monitor = monitor;
        this.downAfter = downAfter;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<PipelineStatus.SinkState> failing = monitor.sinksFailingLongerThan(downAfter);
        builder.detail("sink.down.after.ms", downAfter.toMillis());
        if (failing.isEmpty()) {
            builder.up();
            return;
        }
        for (PipelineStatus.SinkState s : failing) {
            builder.detail("sink." + s.route() + ".failing.since", s.failingSince().toString());
            builder.detail("sink." + s.route() + ".error", Redact.text(s.lastError()));
        }
        builder.message("sink(s) failing for longer than " + downAfter.toMillis() + " ms: "
                + String.join(", ", failing.stream().map(PipelineStatus.SinkState::route).toList()));
        builder.down();
    }
}
