package dev.quotestream.dashboard;

import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The page's static files, a fixed list loaded from the classpath ({@code dashboard/}) at startup. Nothing
 * else is served: Camel's own static-file handler is not used because it also serves any file under the
 * working directory and any classpath resource (application*.properties among them).
 */
public class DashboardAssets {

    private record Asset(byte[] bytes, String contentType) {
    }

    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"dashboard/index.html", "text/html; charset=utf-8"},
            "/assets/dashboard.js", new String[] {"dashboard/dashboard.js", "text/javascript; charset=utf-8"},
            "/assets/dashboard.css", new String[] {"dashboard/dashboard.css", "text/css; charset=utf-8"},
            "/assets/uPlot.iife.min.js", new String[] {"dashboard/vendor/uplot/uPlot.iife.min.js", "text/javascript; charset=utf-8"},
            "/assets/uPlot.min.css", new String[] {"dashboard/vendor/uplot/uPlot.min.css", "text/css; charset=utf-8"});

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    public DashboardAssets() {
        FILES.forEach((path, file) -> assets.put(path, new Asset(load(file[0]), file[1])));
    }

    private static byte[] load(String resource) {
        try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file missing from the classpath: " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    /** Serves the file for the request path, or a 404 (the routes only match known paths anyway). */
    public void serve(Exchange exchange) {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String path = uri == null ? "" : uri.split("\\?", 2)[0];
        Asset asset = assets.get(path);
        var message = exchange.getMessage();
        message.removeHeaders("*");
        SecurityHeaders.apply(message);
        if (asset == null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody("not found");
            return;
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, asset.contentType());
        message.setBody(asset.bytes());
    }
}
