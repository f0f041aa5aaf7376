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
 * ({@code jdk.NativeMethodSample}: threads inside native code, e.g. waiting on a socket for an answer or in SQLite;
 * idle selector and accept loops left out), and, for both,
 * the project's own frame nearest the top (the first {@code dev.quotestream} frame), which says which of our steps
 * the time belongs to.
 */
public final class JfrSummary {

    private JfrSummary() {
    }

    /** Summarises a recording again: {@code java -cp <test class path> dev.quotestream.bench.JfrSummary FILE [FROM TO]}. */
    public static void main(String[] args) throws IOException {
        Instant from = args.length > 2 ? Instant.parse(args[1]) : Instant.MIN;
        Instant to = args.length > 2 ? Instant.parse(args[2]) : Instant.MAX;
        print(Path.of(args[0]), from, to, System.out::println);
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
                if (type.equals("jdk.NativeMethodSample") && idle(frames.get(0))) {
                    continue; // a selector or accept loop waiting for work, not a step waiting for an answer
                }
                total++;
                top.merge(name(frames.get(0)), 1, Integer::sum);
                String own = null;
                String library = null;
                for (RecordedFrame f : frames) {
                    String cls = f.getMethod().getType().getName();
                    if (cls.startsWith("dev.quotestream.")) {
                        own = name(f);
                        break;
                    }
                    if (library == null && !cls.startsWith("java.") && !cls.startsWith("sun.") && !cls.startsWith("jdk.")) {
                        library = name(f);
                    }
                }
                if (own == null) {
                    own = "(no project frame; nearest library frame " + library + ", thread " + thread(e) + ")";
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

    private static boolean idle(RecordedFrame top) {
        String m = name(top);
        return m.equals("sun.nio.ch.EPoll.wait") || m.equals("sun.nio.ch.Net.accept") || m.endsWith(".accept0")
                || m.equals("sun.nio.ch.ServerSocketChannelImpl.accept0");
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
