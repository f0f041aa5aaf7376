package dev.quotestream.reliability;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real file-system faults for the local profile, with mount(8): a small tmpfs that fills up, and a folder made
 * read-only by a read-only bind mount over itself (root ignores file permissions, not a read-only mount). Needs root;
 * without it the test is skipped with a message, except in CI (CI=true), where that is an error.
 */
final class Mounts {

    private Mounts() {
    }

    static void requireMount(Path probe) throws IOException, InterruptedException {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        Files.createDirectories(probe);
        boolean works;
        try {
            run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.toString());
            run("umount", probe.toString());
            works = true;
        } catch (IllegalStateException e) {
            works = false;
            if (ci) {
                throw new IllegalStateException("CI must run the file-system fault tests, but mount does not work here "
                        + "(root is needed): " + e.getMessage());
            }
        }
        Assumptions.assumeTrue(works, "Skipped: mount(8) does not work here (run as root for the full-disk and "
                + "read-only tests)");
    }

    /** A tmpfs of {@code size} (e.g. {@code 6m}) at {@code dir}. */
    static void tmpfs(Path dir, String size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
    }

    /** {@code dir} becomes read-only for every new open (bind-mounted read-only over itself). */
    static void readOnly(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run("mount", "--bind", dir.toString(), dir.toString());
        // The kernel refuses (busy) while a file in it is open for writing: the application's lake or dead-letter
        // write of that instant. Its writes are short; try again until one is between writes.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                run("mount", "-o", "remount,bind,ro", dir.toString());
                return;
            } catch (IllegalStateException e) {
                if (!e.getMessage().contains("busy") || System.nanoTime() > deadline) {
                    run("umount", "-l", dir.toString());
                    throw e;
                }
                Thread.sleep(10);
            }
        }
    }

    /** Lazily: a file still open in it (a failed test's) does not keep the mount. */
    static void unmount(Path dir) throws IOException, InterruptedException {
        run("umount", "-l", dir.toString());
    }

    /** Writes zeros into {@code file} until the file system is full; returns the bytes written. */
    static long fill(Path file) {
        long written = 0;
        byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException full) {
            return written;
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : new ArrayList<>();
    }
}
