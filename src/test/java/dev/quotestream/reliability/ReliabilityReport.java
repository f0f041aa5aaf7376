package dev.quotestream.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The reliability suite's results, one table row per case, in {@code target/reliability/results.md} (and on stdout):
 * case | expected | observed | count, as docs/reliability.md shows them.
 */
final class ReliabilityReport {

    static final Path FILE = Path.of("target", "reliability", "results.md");

    private ReliabilityReport() {
    }

    /** Where a scenario's application run logs (kept after the test, for a look at what happened). */
    static Path log(String scenario, int run) {
        return FILE.getParent().resolve("logs").resolve(scenario).resolve("run-" + run + ".log").toAbsolutePath();
    }

    static synchronized void row(String scenario, String expected, String observed, String count) {
        String line = "| " + scenario + " | " + expected + " | " + observed + " | " + count + " |";
        System.out.println("RELIABILITY " + line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("cannot write " + FILE + ": " + e);
        }
    }
}
