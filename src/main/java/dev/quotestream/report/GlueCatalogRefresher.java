package dev.quotestream.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Crawler;
import software.amazon.awssdk.services.glue.model.CrawlerRunningException;
import software.amazon.awssdk.services.glue.model.CrawlerState;
import software.amazon.awssdk.services.glue.model.LastCrawlInfo;
import software.amazon.awssdk.services.glue.model.LastCrawlStatus;

import java.time.Duration;

/**
 * AWS catalog refresh: starts the Glue crawler over the lake so new {@code dt}/{@code ticker} partitions (and new
 * columns) reach the Data Catalog, then waits until the crawler is READY again, up to a timeout. A crawler that is
 * already running ({@code CrawlerRunningException}) is waited for the same way. A crawl that ends FAILED or
 * CANCELLED fails the report.
 */
public class GlueCatalogRefresher implements CatalogRefresher {

    private static final Logger LOG = LoggerFactory.getLogger(GlueCatalogRefresher.class);

    private final GlueClient glue;
    private final String crawler;
    private final Duration timeout;
    private final Duration pollInterval;

    public GlueCatalogRefresher(GlueClient glue, String crawler, Duration timeout, Duration pollInterval) {
        this.glue = glue;
        this.crawler = crawler;
        this.timeout = timeout;
        this.pollInterval = pollInterval;
    }

    @Override
    public ReportRequest refresh(ReportRequest request) {
        refresh();
        return request;
    }

    public void refresh() {
        long started = System.nanoTime();
        try {
            glue.startCrawler(b -> b.name(crawler));
            LOG.info("Catalog: Glue crawler {} started", crawler);
        } catch (CrawlerRunningException e) {
            LOG.info("Catalog: Glue crawler {} is already running; waiting for it", crawler);
        }
        long deadline = started + timeout.toNanos();
        while (true) {
            sleep();
            Crawler state = glue.getCrawler(b -> b.name(crawler)).crawler();
            if (state.state() == CrawlerState.READY) {
                LastCrawlInfo last = state.lastCrawl();
                if (last != null && (last.status() == LastCrawlStatus.FAILED || last.status() == LastCrawlStatus.CANCELLED)) {
                    throw new IllegalStateException("Glue crawler " + crawler + " ended " + last.status() + ": "
                            + last.errorMessage());
                }
                LOG.info("Catalog: Glue crawler {} READY after {} s (last crawl {})", crawler,
                        Duration.ofNanos(System.nanoTime() - started).toSeconds(), last == null ? "n/a" : last.status());
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Glue crawler " + crawler + " not READY after " + timeout
                        + " (state " + state.state() + ")");
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Glue crawler " + crawler, e);
        }
    }
}
