package dev.quotestream.pipeline;

import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Starts the application in-process exactly as {@code mvn camel:run} does (same Main, same profile
 * loading, same YAML routes), with test overrides as initial properties.
 */
public final class PipelineRunner implements AutoCloseable {

    private final Main main;

    private PipelineRunner(Main main) {
        this.main = main;
    }

    public static Map<String, String> fastLocalProperties(Path dataDir, int simulatorPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("camel.main.profile", "local");
        p.put("data.dir", dataDir.toString());
        p.put("simulator.port", String.valueOf(simulatorPort));
        // One simulated tick per second and a new crossing every 3 ticks keep the test short.
        p.put("simulator.tick-seconds", "1");
        p.put("simulator.jump-window-ticks", "3");
        p.put("quotes.fetch-period-ms", "250");
        p.put("quotes.initial-delay-ms", "0");
        p.put("lake.flush-interval-ms", "1000");
        p.put("pipeline.redelivery-delay-ms", "10");
        p.put("quotes.retry-delay-ms", "10");
        return p;
    }

    public static PipelineRunner start(Map<String, String> properties) throws Exception {
        return start(properties.getOrDefault("camel.main.profile", "local"), properties);
    }

    /** The profile is set up front: it chooses which application-&lt;profile&gt;.properties is loaded. */
    public static PipelineRunner start(String profile, Map<String, String> properties) throws Exception {
        Main main = new Main();
        main.configure().setProfile(profile);
        // Override: initial properties would lose to application.properties.
        properties.forEach(main::addOverrideProperty);
        main.start();
        return new PipelineRunner(main);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
