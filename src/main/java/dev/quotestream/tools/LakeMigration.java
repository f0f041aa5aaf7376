package dev.quotestream.tools;

import dev.quotestream.core.LakeLayout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Moves a lake written before the partition values were escaped ({@code ticker=EURUSD=X}, {@code ticker=^GSPC})
 * to the escaped layout ({@code ticker=EURUSD%3DX}, {@code ticker=%5EGSPC}); docs/data-contract.md, "Migrating an
 * existing lake". Idempotent: escaped partitions are left alone, a second run finds nothing to do.
 * <pre>
 * mvn -q compile exec:java@lake-migrate -Dexec.args="local [--dry-run]"          (under -Ddata.dir, default ./data)
 * aws s3 ls --recursive s3://BUCKET/raw/ | mvn -q compile exec:java@lake-migrate -Dexec.args="s3 BUCKET"
 * </pre>
 * The {@code s3} form prints one {@code aws s3 mv --recursive} command per partition to rename (it runs nothing).
 * {@code dt} is not changed: old lines carry no exchange time zone, so their day stays the UTC date.
 */
public final class LakeMigration {

    private static final Pattern PARTITION = Pattern.compile("(.*?raw/dt=[^/]+)/ticker=([^/]+)/");

    private LakeMigration() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 1 && args[0].equals("local")) {
            boolean dryRun = args.length > 1 && args[1].equals("--dry-run");
            Path raw = Path.of(System.getProperty("data.dir", "data")).resolve(System.getProperty("lake.prefix", "raw"));
            List<String> moved = migrateLocal(raw, dryRun);
            moved.forEach(System.out::println);
            System.out.println((dryRun ? "would move " : "moved ") + moved.size() + " partition(s) under " + raw);
        } else if (args.length == 2 && args[0].equals("s3")) {
            List<String> keys = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                in.lines().forEach(keys::add);
            }
            s3Commands(args[1], keys).forEach(System.out::println);
        } else {
            System.err.println("usage: LakeMigration local [--dry-run] | s3 BUCKET  (s3: a listing on stdin)");
            System.exit(2);
        }
    }

    /** Renames every unescaped {@code ticker=} partition directory under {@code raw}; returns "old -> new" lines. */
    public static List<String> migrateLocal(Path raw, boolean dryRun) throws IOException {
        List<String> done = new ArrayList<>();
        if (!Files.isDirectory(raw)) {
            return done;
        }
        List<Path> partitions;
        try (Stream<Path> s = Files.list(raw)) {
            partitions = s.filter(p -> p.getFileName().toString().startsWith("dt=")).flatMap(LakeMigration::tickers).sorted().toList();
        }
        for (Path old : partitions) {
            String value = old.getFileName().toString().substring("ticker=".length());
            String escaped = escaped(value);
            if (escaped.equals(value)) {
                continue;
            }
            Path target = old.resolveSibling("ticker=" + escaped);
            done.add(raw.relativize(old) + " -> " + raw.relativize(target));
            if (!dryRun) {
                Files.createDirectories(target);
                try (Stream<Path> files = Files.list(old)) {
                    for (Path f : files.toList()) {
                        Files.move(f, target.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
                Files.delete(old);
            }
        }
        return done;
    }

    private static Stream<Path> tickers(Path dt) {
        try {
            return Files.list(dt).filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("ticker=")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The escaped form of a partition value as found: already-escaped values (%XX) are read back first. */
    static String escaped(String value) {
        return LakeLayout.escapePathName(LakeLayout.unescapePathName(value));
    }

    /** {@code aws s3 mv --recursive} per partition to rename, from a listing of keys (or {@code aws s3 ls} lines). */
    public static List<String> s3Commands(String bucket, List<String> listing) {
        TreeSet<String> commands = new TreeSet<>();
        for (String line : listing) {
            Matcher m = PARTITION.matcher(line.contains(" raw/") ? line.substring(line.indexOf(" raw/") + 1) : line);
            if (!m.find()) {
                continue;
            }
            String value = m.group(2);
            String escaped = escaped(value);
            if (!escaped.equals(value)) {
                String prefix = m.group(1).substring(m.group(1).indexOf("raw/"));
                commands.add("aws s3 mv --recursive 's3://" + bucket + "/" + prefix + "/ticker=" + value + "/' 's3://"
                        + bucket + "/" + prefix + "/ticker=" + escaped + "/'");
            }
        }
        return new ArrayList<>(commands);
    }
}
