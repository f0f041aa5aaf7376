package dev.quotestream.pipeline;

import dev.quotestream.core.DeadLetter;
import dev.quotestream.core.StreamRecord;
import dev.quotestream.local.LocalFiles;
import dev.quotestream.quotes.YahooErrorText;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The route side of the one dead-letter builder ({@link DeadLetter}, docs/data-contract.md §6): what the failed
 * exchange knows (stage, symbol, the stream record or the fetched body, the failure) becomes the record and its
 * deterministic key. A dead letter the sink cannot take goes to {@link #fallback}: a local file, forced to disk,
 * and an ERROR line.
 */
public class DeadLetters {

    /** What to keep as the input when it is not the stream record: a fetched body, an alert. */
    public static final String INPUT_PROPERTY = "deadLetterInput";
    public static final String KEY_HEADER = "deadLetterKey";
    private static final Logger LOG = LoggerFactory.getLogger("dead-letter");

    private final String prefix;
    private final Path fallbackDir;

    public DeadLetters(String prefix, Path fallbackDir) {
        this.prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        this.fallbackDir = fallbackDir;
    }

    /** The dead letter of a failed exchange; sets its key in header {@value #KEY_HEADER}. */
    public DeadLetter describe(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String stage = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        if (stage == null) {
            stage = exchange.getFromRouteId();
        }
        StreamRecord record = exchange.getProperty(StreamRecords.PROPERTY, StreamRecord.class);
        String symbol = exchange.getProperty("symbol", String.class);
        if (symbol == null) {
            // Not decodable: the stream's key (set by quote-fetch, and by the stream consumers on the way in).
            symbol = record != null ? record.partitionKey()
                    : exchange.getMessage().getHeader(StreamRecords.PARTITION_KEY, String.class);
        }
        Object input = exchange.getProperty(INPUT_PROPERTY);
        Instant now = Instant.now();
        DeadLetter letter;
        HttpOperationFailedException http = HttpFailures.find(failure);
        if (http != null) {
            String text = YahooErrorText.of(http.getResponseBody());
            letter = DeadLetter.of(now, stage, symbol, "HTTP " + http.getStatusCode() + " from " + http.getUri()
                            + (text.isEmpty() ? "" : ": " + text), DeadLetter.errorType(failure), http.getStatusCode(),
                    http.getResponseBody());
        } else if (input == null && record != null) {
            letter = DeadLetter.ofRecord(now, stage, symbol, failure, record);
        } else {
            String text = input != null ? String.valueOf(input) : exchange.getMessage().getBody(String.class);
            letter = DeadLetter.of(now, stage, symbol, DeadLetter.reason(failure), DeadLetter.errorType(failure),
                    null, text);
        }
        String key = letter.key(prefix);
        exchange.getMessage().setHeader(KEY_HEADER, key);
        LOG.warn("Dead-lettered {} input{}: {} -> {}", stage, symbol == null ? "" : " for " + symbol, letter.reason(), key);
        return letter;
    }

    /**
     * The dead-letter sink failed: the record goes to {@code deadletter.fallback-dir} under the same key, forced to
     * disk, with an ERROR line. If that fails too (a full disk), it is tried again with backoff until it works: a dead
     * letter is never dropped and never an empty file. A stop ends the wait with an exception, so that the record
     * it belongs to is not checkpointed and is read again at the next start.
     */
    public void fallback(Exchange exchange) throws IOException, InterruptedException {
        String key = exchange.getMessage().getHeader(KEY_HEADER, String.class);
        Throwable sinkFailure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        byte[] content = exchange.getMessage().getBody(String.class).getBytes(StandardCharsets.UTF_8);
        Path target = fallbackDir.resolve(key).normalize();
        long backoffMs = 500;
        for (int attempt = 1; ; attempt++) {
            try {
                java.nio.file.Files.createDirectories(target.getParent());
                LocalFiles.writeAtomically(target, content);
                LOG.error("Dead letter {} could not be written to its sink ({}); kept in the local fallback {}", key,
                        DeadLetter.reason(sinkFailure), target);
                return;
            } catch (IOException | RuntimeException fallbackFailed) {
                if (attempt == 1) {
                    // The last trace of it if this process dies now: the record itself is still in its stream.
                    LOG.error("Dead letter {} could not be written to its sink ({}) nor to the fallback {} ({}); "
                                    + "retrying until one can take it. It reads: {}", key, DeadLetter.reason(sinkFailure),
                            target, fallbackFailed.toString(), new String(content, 0, Math.min(content.length, 4096),
                                    StandardCharsets.UTF_8));
                }
                if (!WhileRunning.running(exchange.getContext())) {
                    throw new IOException("stopping: dead letter " + key + " not written (sink: "
                            + DeadLetter.reason(sinkFailure) + "; fallback: " + fallbackFailed + ")", fallbackFailed);
                }
                Thread.sleep(backoffMs);
                backoffMs = Math.min(5000, backoffMs * 2);
            }
        }
    }
}
