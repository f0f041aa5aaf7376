package dev.quotestream.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the time goes, from a JFR recording (settings=profile): the hottest top frames of the CPU samples
 * ({@code jdk.ExecutionSample}: threads running Java code), the hottest of the native samples
 * ({@code jdk.NativeMethodSample}: threads inside native code, e.g. waiting on a socket or in SQLite), and, for both,
 * the project's own frame nearest the top (the first {@code dev.quotestream} frame), which says which of our steps
 * the time belongs to.
 */
final class JfrSummary {

    private JfrSummary() {
    }

    /** Samples taken between {@code from} and {@code to} only (the processing window, not the start-up). */
    static void print(Path jfr, Instant from, Instant to, Consumer<String> out) throws IOException {
        if (!Files.exists(jfr)) {
            out.accept("  no recording at " + jfr);
            return;
        }
        for (String type : List.of("jdk.ExecutionSample", "jdk.NativeMethodSample")) {
            Map<String, Integer> top = new HashMap<>();
            Map<String, Integer> ours = new HashMap<>();
            int total = 0;
            for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
                if (!e.getEventType().getName().equals(type) || e.getStackTrace() == null
                        || e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                List<RecordedFrame> frames = st.getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                total++;
                top.merge(name(frames.get(0)), 1, Integer::sum);
                String own = "(no project frame: " + thread(e) + ")";
                for (RecordedFrame f : frames) {
                    if (f.getMethod().getType().getName().startsWith("dev.quotestream.")) {
                        own = name(f);
                        break;
                    }
                }
                ours.merge(own, 1, Integer::sum);
            }
            out.accept(String.format(Locale.ROOT, "  %s (%s): %d samples from %s to %s", jfr.getFileName(), type, total,
                    from, to));
            out.accept("    top frames:");
            print(top, total, out);
            out.accept("    nearest project frame:");
            print(ours, total, out);
        }
    }

    private static String thread(RecordedEvent e) {
        var t = e.getThread("sampledThread");
        String n = t == null ? "?" : t.getJavaName();
        return n == null ? "?" : n.replaceAll("[-#]?\\d+$", "").replaceAll("\\d+", "N");
    }

    private static void print(Map<String, Integer> counts, int total, Consumer<String> out) {
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(12).forEach(e ->
                out.accept(String.format(Locale.ROOT, "      %5.1f %%  %s", 100.0 * e.getValue() / total, e.getKey())));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
