package dev.mailgateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A copy of the shipped routes/*.yaml for a test to change as an operator would (a step added, a condition
 * edited), and the override that makes a {@link TestGateway} load them instead of the shipped ones.
 */
public final class ShippedRoutes {

    private ShippedRoutes() {
    }

    /** Copies routes/*.yaml to {@code <dir>/routes}; returns that directory. */
    public static Path copyTo(Path dir) throws IOException {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path file : shipped.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        return routes;
    }

    /** The override that loads the routes of this directory. */
    public static Map.Entry<String, String> from(Path routes) {
        return Map.entry("camel.main.routes-include-pattern", "file:" + routes + "/*.yaml");
    }
}
