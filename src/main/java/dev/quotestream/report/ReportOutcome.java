package dev.quotestream.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The outcome of the on-demand report run (route report-on-demand), for {@link ReportNow}'s exit code. */
public class ReportOutcome {

    private static final Logger LOG = LoggerFactory.getLogger(ReportOutcome.class);

    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Object receipt;
    private volatile Throwable failure;

    public void succeeded(Object receipt) {
        this.receipt = receipt;
        done.countDown();
    }

    public void failed(Throwable failure) {
        this.failure = failure;
        LOG.error("On-demand report failed: {}", failure == null ? "unknown error" : failure.toString());
        done.countDown();
    }

    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    public boolean isDone() {
        return done.getCount() == 0;
    }

    public Object receipt() {
        return receipt;
    }

    public Throwable failure() {
        return failure;
    }
}
