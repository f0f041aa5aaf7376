package dev.quotestream.report;

import java.util.function.IntFunction;
import java.util.function.ToLongFunction;

/**
 * Fits a report message into its channel: SNS takes 256 KiB, SES 10 MB, an SMTP server what it announces. The lists
 * of the report (symbols, movers, anomalies, freshness, gaps) are cut at the same length, the largest that fits the
 * byte budget and the configured {@code report.message.max-list-items}; each cut list ends with "… N more, see the
 * full report". The message's size only grows with the cut, so a binary search over it finds the largest fit.
 */
public final class MessageCaps {

    /** SNS Publish: 256 KiB for the whole payload (message, subject, attributes). */
    public static final long SNS_MAX_BYTES = 256 * 1024;
    /** SES SendRawEmail (v1 API): 10 MB for the raw MIME message, after encoding. */
    public static final long SES_MAX_BYTES = 10L * 1024 * 1024;

    private MessageCaps() {
    }

    /** The longest list of the report: the most a cut can keep. */
    static int longestList(DailyReport r) {
        return Math.max(Math.max(r.symbols().size(), r.anomalies().size()),
                Math.max(Math.max(r.freshness().size(), r.gaps().size()), r.topMovers().size()));
    }

    /**
     * The rendering with the largest cut whose size fits {@code budget}.
     *
     * @param maxItems list items a message shows at most (0 = no limit but the budget)
     * @throws IllegalStateException when even lists cut to nothing do not fit
     */
    public static <T> T fit(DailyReport report, int maxItems, String fullReport, long budget,
                            IntFunction<T> renderWithCut, ToLongFunction<T> size, String channel) {
        int most = longestList(report);
        int high = maxItems > 0 ? Math.min(most, maxItems) : most;
        T best = renderWithCut.apply(high);
        if (size.applyAsLong(best) <= budget) {
            return best;
        }
        int low = 0;
        T fitting = renderWithCut.apply(0);
        if (size.applyAsLong(fitting) > budget) {
            throw new IllegalStateException(channel + ": the report does not fit " + budget
                    + " bytes even with every list cut (" + size.applyAsLong(fitting) + " bytes)");
        }
        // invariant: cut 'low' fits, cut 'high' does not
        while (high - low > 1) {
            int middle = (low + high) >>> 1;
            T candidate = renderWithCut.apply(middle);
            if (size.applyAsLong(candidate) <= budget) {
                low = middle;
                fitting = candidate;
            } else {
                high = middle;
            }
        }
        return fitting;
    }
}
