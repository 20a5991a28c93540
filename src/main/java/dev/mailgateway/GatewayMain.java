package dev.mailgateway;

import dev.mailgateway.auth.AddUser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.main.Main;

/**
 * The gateway: Camel Main with the operator's configuration and routes from the working directory.
 * <ul>
 *   <li>{@code config/application.properties}: every {@code gateway.*} key (override any with
 *       {@code -Dkey=value} or an environment variable such as {@code GATEWAY_SMTP_PORT});</li>
 *   <li>{@code routes/*.yaml}: the routes;</li>
 *   <li>{@code config/logback.xml}: logging.</li>
 * </ul>
 * Another configuration file can be named with {@code -Dgateway.config=path}. {@code add-user NAME} adds a user
 * who may authenticate (see {@link AddUser}).
 */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("add-user")) {
            AddUser.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        useLoggingConfig(Path.of("config", "logback.xml"));
        create().run(args);
    }

    /** A configured but not started gateway (tests start and stop it). */
    public static Main create() {
        Main main = new Main();
        String config = System.getProperty("gateway.config", "config/application.properties");
        main.setPropertyPlaceholderLocations("file:" + config);
        main.configure().withRoutesIncludePattern("file:routes/*.yaml");
        return main;
    }

    /** Before the first logger exists: point logback at the operator's file unless told otherwise. */
    private static void useLoggingConfig(Path file) {
        if (System.getProperty("logback.configurationFile") == null && Files.isRegularFile(file)) {
            System.setProperty("logback.configurationFile", file.toString());
        }
    }
}
