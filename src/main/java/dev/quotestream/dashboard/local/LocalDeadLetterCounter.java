package dev.quotestream.dashboard.local;

import dev.quotestream.dashboard.DeadLetterCounter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.stream.Stream;

/** Counts today's dead-letter files: {@code <data.dir>/<prefix>/dt=<UTC today>/<stage>/*.json}. */
public class LocalDeadLetterCounter implements DeadLetterCounter {

    private final Path root;
    private final Clock clock;

    public LocalDeadLetterCounter(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    @Override
    public long today() {
        Path day = root.resolve("dt=" + LocalDate.now(clock));
        if (!Files.isDirectory(day)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(day, 2)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".json")).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot count dead letters under " + day, e);
        }
    }
}
