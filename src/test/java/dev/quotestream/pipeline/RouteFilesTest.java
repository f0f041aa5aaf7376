package dev.quotestream.pipeline;

import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Validates every YAML route file (the camel-yaml-dsl-validator plugin is not available here): each file
 * loads into a running context, each route has an explicit id, and routes that can fail reference the
 * shared error handling instead of declaring their own.
 */
class RouteFilesTest {

    private static final Path ROUTES = Path.of("src/main/resources/routes");

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> elementsIn(Path file, String kind) throws IOException {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Object item : (List<Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file))) {
            Map<String, Object> element = (Map<String, Object>) item;
            if (element.containsKey(kind)) {
                found.add((Map<String, Object>) element.get(kind));
            }
        }
        return found;
    }

    @Test
    void everyRouteFileLoadsWithExplicitIdsAndSharedErrorHandling(@TempDir Path data) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(ROUTES)) {
            files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        List<String> configurations = new ArrayList<>();
        for (Path file : files) {
            elementsIn(file, "routeConfiguration").forEach(c -> configurations.add((String) c.get("id")));
        }
        assertThat(configurations).contains("pipeline-error-handling");
        List<String> declared = new ArrayList<>();
        for (Path file : files) {
            for (Map<String, Object> route : elementsIn(file, "route")) {
                assertThat(route).as("route in %s", file).containsKey("id");
                String id = (String) route.get("id");
                declared.add(id);
                if (!id.equals("dead-letter")) {
                    assertThat(route.get("routeConfigurationId")).as("%s in %s", id, file).isIn(configurations);
                }
            }
        }
        try (PipelineRunner app = PipelineRunner.start(PipelineRunner.fastLocalProperties(data, PipelineRunner.freePort()))) {
            List<String> loaded = app.context().getRoutes().stream().map(Route::getRouteId).toList();
            assertThat(loaded).containsExactlyInAnyOrderElementsOf(declared);
            assertThat(app.context().getRoutes()).allSatisfy(r -> assertThat(r.getSourceLocation())
                    .as(r.getRouteId()).matches(".*/routes/[a-z-]+\\.yaml:\\d+"));
        }
    }
}
