package dev.quotestream.reliability;

import dev.quotestream.testing.LoopbackAws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The application in a JVM of its own, started as {@code java -cp … dev.quotestream.QuotePipelineMain} with
 * {@code -D} options (the test class path: the same classes and resources), so that a test can kill it with
 * SIGKILL ({@link #kill9}) or stop it with SIGTERM ({@link #stop}) as an operator or a crash would. Its output goes
 * to a log file of its own.
 */
final class AppProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private AppProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static AppProcess start(Map<String, String> properties, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-Daws.accessKeyId=" + LoopbackAws.ACCESS_KEY);
        command.add("-Daws.secretAccessKey=" + LoopbackAws.SECRET_KEY);
        command.add("-Daws.cborEnabled=false");
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.quotestream.QuotePipelineMain");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new AppProcess(p, log);
    }

    /** SIGKILL: no shutdown hook, no flush, no final checkpoint. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the application did not die from SIGKILL");
        }
    }

    /** SIGTERM: Camel Main's shutdown hook stops the routes gracefully. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the application did not stop within 120 s of SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the log has a line matching {@code regex} (appearing after {@code fromLine}). */
    boolean awaitLog(String regex, Duration timeout) throws InterruptedException, IOException {
        Pattern pattern = Pattern.compile(regex);
        return Await.until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the application exited (" + process.exitValue() + "); see " + log);
            }
            return Files.readAllLines(log, StandardCharsets.UTF_8).stream().anyMatch(l -> pattern.matcher(l).find());
        }, timeout);
    }

    long countLog(String regex) throws IOException {
        Pattern pattern = Pattern.compile(regex);
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> pattern.matcher(l).find()).count();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
