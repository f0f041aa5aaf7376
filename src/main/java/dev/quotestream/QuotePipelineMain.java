package dev.quotestream;

import org.apache.camel.main.Main;

/** Starts the pipeline; everything else is configuration (application*.properties) and YAML routes. */
public final class QuotePipelineMain {

    private QuotePipelineMain() {
    }

    public static void main(String[] args) throws Exception {
        // No classpath scan: the active profile lists its configuration classes.
        new Main().run(args);
    }
}
