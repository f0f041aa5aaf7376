package dev.quotestream.dashboard;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Stored timestamps are ISO-8601 strings in whole seconds with {@code Z}, compared as strings. A bound with a
 * fraction would compare wrongly as a string, so bounds are rounded to whole seconds: up for the lower
 * bound, down for the upper one, which keeps exactly the stored instants inside the interval.
 */
public final class TimeBounds {

    private TimeBounds() {
    }

    public static String lower(Instant from) {
        Instant s = from.truncatedTo(ChronoUnit.SECONDS);
        return (s.equals(from) ? s : s.plusSeconds(1)).toString();
    }

    public static String upper(Instant to) {
        return to.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
