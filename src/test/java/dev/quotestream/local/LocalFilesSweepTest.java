package dev.quotestream.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A write killed between its temporary file and the rename leaves the temporary file; the next start deletes it. */
class LocalFilesSweepTest {

    @Test
    void startupDeletesOnlyTheTemporaryFilesOfInterruptedWrites(@TempDir Path data) throws Exception {
        Path partition = Files.createDirectories(data.resolve("raw/dt=2026-11-26/ticker=AAPL"));
        Path interrupted = Files.writeString(partition.resolve(".part-20261126T010000000Z-1a2b3c4d.json.inprogress"), "{\"sym");
        Path written = Files.writeString(partition.resolve("part-20261126T010000000Z-5e6f7a8b.json"), "{}\n");
        Path report = Files.writeString(Files.createDirectories(data.resolve("reports")).resolve("daily.html.inprogress"), "x");

        int deleted = new LocalFiles(data).sweepInterruptedWrites();

        assertThat(deleted).isEqualTo(1);
        assertThat(interrupted).doesNotExist();
        assertThat(written).hasContent("{}\n");
        assertThat(report).exists(); // not a LocalFiles temporary name: not ours to delete
    }
}
