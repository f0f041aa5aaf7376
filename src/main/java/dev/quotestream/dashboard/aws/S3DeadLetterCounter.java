package dev.quotestream.dashboard.aws;

import dev.quotestream.dashboard.DeadLetterCounter;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Counts today's dead letters in the bucket (ListObjectsV2 under {@code dead-letter/dt=<UTC today>/}),
 * remembered for a short while so a page polling every few seconds costs one listing per interval.
 * Counts what the Lambda dead-lettered too, since both write there.
 */
public class S3DeadLetterCounter implements DeadLetterCounter {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Clock clock;
    private final Duration cacheFor;
    private Instant countedAt = Instant.EPOCH;
    private long count;

    public S3DeadLetterCounter(S3Client s3, String bucket, String prefix, Clock clock, Duration cacheFor) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        this.clock = clock;
        this.cacheFor = cacheFor;
    }

    @Override
    public synchronized long today() {
        Instant now = clock.instant();
        if (now.isBefore(countedAt.plus(cacheFor))) {
            return count;
        }
        String dayPrefix = prefix + "dt=" + LocalDate.now(clock) + "/";
        long n = 0;
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(dayPrefix))) {
            n += page.keyCount() == null ? page.contents().size() : page.keyCount();
        }
        count = n;
        countedAt = now;
        return n;
    }
}
