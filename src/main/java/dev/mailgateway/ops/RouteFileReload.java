package dev.mailgateway.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * {@code gateway.routes.reload}: Camel's route watcher on the routes directory, replacing only the routes of the file
 * that was saved (Camel 4.22's default, remove-all-routes, restarts every route, listeners included, and fails on
 * files with several routes: CAMEL-24866). Before Camel sees a saved file, it must be YAML: a file that is not is
 * refused with one error line naming the file, line and column, and the routes it held keep running. A file that
 * is YAML but not a valid route is refused by Camel itself (a warning naming the file and the problem), with the
 * same result.
 */
public final class RouteFileReload extends RouteWatcherReloadStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileReload.class);

    public RouteFileReload(String directory) {
        super(directory, false);
        setPattern("*.yaml");
        setRemoveAllRoutes(false);
    }

    /**
     * Watches the directory of {@code camel.main.routes-include-pattern} (file:DIR/*.yaml) when
     * {@code gateway.routes.reload} is true.
     */
    public static void install(CamelContext context) throws Exception {
        var properties = context.getPropertiesComponent();
        if (!Boolean.parseBoolean(properties.resolveProperty("gateway.routes.reload").orElse("false").strip())) {
            return;
        }
        String pattern = properties.resolveProperty("camel.main.routes-include-pattern").orElse("file:routes/*.yaml")
                .strip();
        String path = pattern.startsWith("file:") ? pattern.substring("file:".length()) : pattern;
        int slash = path.lastIndexOf('/');
        String directory = slash < 0 ? "." : path.substring(0, slash);
        context.addService(new RouteFileReload(directory), true, true);
        LOG.info("route files in {} are applied when saved (gateway.routes.reload)", directory);
    }

    @Override
    protected void onRouteReload(Collection<Resource> resources, boolean removeEverything) {
        List<Resource> wellFormed = new ArrayList<>();
        for (Resource resource : resources) {
            String problem = yamlProblem(resource);
            if (problem == null) {
                wellFormed.add(resource);
            } else {
                LOG.error("route file {} not applied: {}; the routes it holds keep running as they were",
                        resource.getLocation(), problem);
            }
        }
        if (!wellFormed.isEmpty()) {
            super.onRouteReload(wellFormed, removeEverything);
        }
    }

    /** Null when the resource parses as YAML (or is gone: Camel decides what a deleted file means). */
    static String yamlProblem(Resource resource) {
        String text;
        try (InputStream in = resource.getInputStream()) {
            if (in == null) {
                return null;
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        try {
            new Load(LoadSettings.builder().build()).loadAllFromString(text).forEach(document -> { });
            return null;
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(mark -> "line " + (mark.getLine() + 1) + ", column "
                    + (mark.getColumn() + 1) + ": ").orElse("");
            return where + e.getProblem();
        } catch (YamlEngineException e) {
            return e.getMessage();
        }
    }
}
