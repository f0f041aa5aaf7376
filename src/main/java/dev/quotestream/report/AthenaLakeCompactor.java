package dev.quotestream.report;

import dev.quotestream.core.metrics.Quote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * AWS compaction with Athena: the day's raw JSON ({@code raw_data}, pruned to {@code dt}) goes into the Parquet table
 * {@code curated} (s3://&lt;bucket&gt;/curated/, partitions {@code dt}, {@code ticker}) by
 * {@code INSERT INTO curated} + {@code sql/curated-day.sql}, which keeps one row per (symbol, timestamp). Athena
 * writes the partition paths itself, escaping the ticker as Hive does, and adds the partitions to Glue.
 * <p>
 * Idempotent: the day's curated objects are listed first, the INSERT writes new ones (Athena names its files by query
 * id), then the listed ones are deleted. A reader sees the day twice for a moment, never missing; a run that fails
 * before the delete leaves the old objects, and the next run deletes them too. The table is created from
 * {@code sql/curated-table.sql} when Glue has none. A day with more than 100 symbols is inserted in batches of 100
 * (Athena writes at most 100 partitions per INSERT).
 */
public class AthenaLakeCompactor implements LakeCompactor {

    private static final Logger LOG = LoggerFactory.getLogger(AthenaLakeCompactor.class);
    public static final String TABLE = "curated";
    static final int MAX_PARTITIONS_PER_INSERT = 100;
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");

    private final GlueClient glue;
    private final S3Client s3;
    private final AthenaSqlExecutor athena;
    private final String database;
    private final String bucket;
    private final String rawPrefix;
    private final String curatedPrefix;

    public AthenaLakeCompactor(GlueClient glue, S3Client s3, AthenaSqlExecutor athena, String database, String bucket,
                               String rawPrefix, String curatedPrefix) {
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("aws.bucket '" + bucket + "' is not an S3 bucket name");
        }
        this.glue = glue;
        this.s3 = s3;
        this.athena = athena;
        this.database = database;
        this.bucket = bucket;
        this.rawPrefix = trim(rawPrefix);
        this.curatedPrefix = trim(curatedPrefix);
    }

    private static String trim(String prefix) {
        String p = prefix.startsWith("/") ? prefix.substring(1) : prefix;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** The table's DDL: sql/curated-table.sql at s3://bucket/curated/. */
    public String tableDdl() {
        return SqlLibrary.get(SqlLibrary.CURATED_TABLE).replace("{location}", "s3://" + bucket + "/" + curatedPrefix + "/");
    }

    /** The INSERT of one day (or one batch of its symbols): parameters dt, symbols, symbols. */
    public static String insert() {
        return "INSERT INTO " + TABLE + "\n" + SqlLibrary.get(SqlLibrary.CURATED_DAY).replace("{raw}", "raw_data");
    }

    @Override
    public ReportRequest compact(ReportRequest request) {
        compact(request.date());
        return request;
    }

    public void compact(LocalDate day) {
        long started = System.nanoTime();
        List<String> symbols = rawSymbols(day);
        if (symbols.isEmpty()) {
            LOG.info("Compaction {}: no raw objects under s3://{}/{}/dt={}/; the curated lake is left as it is", day,
                    bucket, rawPrefix, day);
            return;
        }
        ensureTable();
        List<String> previous = keys(curatedPrefix + "/dt=" + day + "/");
        List<String> batches = new ArrayList<>();
        if (symbols.size() <= MAX_PARTITIONS_PER_INSERT) {
            batches.add("");
        } else {
            for (int i = 0; i < symbols.size(); i += MAX_PARTITIONS_PER_INSERT) {
                batches.add(String.join(",", symbols.subList(i, Math.min(symbols.size(), i + MAX_PARTITIONS_PER_INSERT))));
            }
        }
        for (String batch : batches) {
            String id = athena.execute(insert(), List.of(day, batch, batch));
            LOG.info("Compaction {}: Athena INSERT INTO {} ({} symbols) done, query {}", day, TABLE,
                    batch.isEmpty() ? symbols.size() : batch.split(",").length, id);
        }
        delete(previous);
        LOG.info("Compaction {}: {} symbols into s3://{}/{}/dt={}/, {} previous objects deleted ({} ms)", day,
                symbols.size(), bucket, curatedPrefix, day, previous.size(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Creates the table when Glue has none of that name; an existing table is left as it is. */
    public boolean ensureTable() {
        try {
            glue.getTable(b -> b.databaseName(database).name(TABLE));
            return false;
        } catch (EntityNotFoundException missing) {
            LOG.info("Compaction: table {}.{} is missing; creating it through Athena", database, TABLE);
            athena.execute(tableDdl());
            return true;
        }
    }

    /**
     * The symbols of the day's raw partitions ({@code raw/dt=<day>/ticker=<value>/}): S3 lists the prefixes, no object
     * is read. The partition value is the lake writer's encoding of the symbol ({@link DuckDbLakeCompactor#tickerDirectory}).
     */
    List<String> rawSymbols(LocalDate day) {
        String prefix = rawPrefix + "/dt=" + day + "/";
        List<String> symbols = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).delimiter("/")
                    .continuationToken(continuation));
            for (CommonPrefix p : page.commonPrefixes()) {
                String part = p.prefix().substring(prefix.length());
                if (part.startsWith("ticker=") && part.endsWith("/")) {
                    String symbol = DuckDbLakeCompactor.symbolOf(part.substring("ticker=".length(), part.length() - 1));
                    if (!Quote.SYMBOL.matcher(symbol).matches()) {
                        throw new IllegalStateException("raw partition " + p.prefix() + " names no ticker symbol");
                    }
                    symbols.add(symbol);
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return symbols;
    }

    private List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)
                    .continuationToken(continuation));
            page.contents().stream().map(S3Object::key).forEach(keys::add);
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return keys;
    }

    private void delete(List<String> keys) {
        for (int i = 0; i < keys.size(); i += 1000) {
            List<ObjectIdentifier> batch = keys.subList(i, Math.min(keys.size(), i + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            var response = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                throw new IllegalStateException("could not delete the previous curated objects: " + response.errors());
            }
        }
    }
}
