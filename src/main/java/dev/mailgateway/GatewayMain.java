package dev.mailgateway;

import dev.mailgateway.auth.AddUser;
import dev.mailgateway.files.OwnerOnly;
import dev.mailgateway.mailauth.dkim.DkimKeygen;
import dev.mailgateway.ops.AdminServer;
import dev.mailgateway.ops.explain.Explain;
import dev.mailgateway.ops.GatewayMetrics;
import dev.mailgateway.ops.RouteFileReload;
import dev.mailgateway.ops.StartupSummary;
import dev.mailgateway.spool.QueueCommand;
import dev.mailgateway.spool.Spool;
import dev.mailgateway.spool.SpoolSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The gateway: Camel Main with the operator's configuration and routes from the working directory.
 * <ul>
 *   <li>{@code config/application.properties}: every {@code gateway.*} key (override any with
 *       {@code -Dkey=value} or an environment variable such as {@code GATEWAY_SMTP_PORT});</li>
 *   <li>{@code routes/*.yaml}: the routes;</li>
 *   <li>the spool: an embedded ActiveMQ broker under {@code gateway.data-dir}, or {@code gateway.broker.url};</li>
 *   <li>{@code config/logback.xml}: logging.</li>
 * </ul>
 * Another configuration file can be named with {@code -Dgateway.config=path}. {@code add-user NAME} adds a user
 * who may authenticate (see {@link AddUser}); {@code queue list|retry|delete|hold|release} works on the mail
 * waiting (see {@link QueueCommand}); {@code dkim-keygen DOMAIN SELECTOR [rsa|ed25519]} makes a DKIM signing key
 * in {@code gateway.dkim.keys} and prints its DNS record (see {@link DkimKeygen}); {@code explain MESSAGE ...} says what
 * the gateway would do with a message without doing it (see {@link Explain}).
 */
public final class GatewayMain {

    private GatewayMain() {
    }

    /**
     * On a 2-core machine the JDK sizes the common fork-join pool to one thread, and CompletableFuture then runs
     * every async step without an executor of its own on a NEW THREAD (its ThreadPerTaskExecutor). The JDK's HTTP
     * client hops to that default executor once per response: asking Rspamd about each message started a thread per
     * message, which cost the gateway more CPU than the scan cost Rspamd. Two threads make the default a pool. Set
     * before anything touches ForkJoinPool or CompletableFuture; an operator's own -D setting wins.
     */
    static void atLeastTwoCommonPoolThreads() {
        String key = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(key) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(key, "2");
        }
    }

    public static void main(String[] args) throws Exception {
        atLeastTwoCommonPoolThreads();
        if (args.length > 0 && args[0].equals("add-user")) {
            AddUser.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("queue")) {
            QueueCommand.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("explain")) {
            System.exit(Explain.main(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("dkim-keygen")) {
            String keys = QueueCommand.settings().getProperty("gateway.dkim.keys", "").strip();
            int status = DkimKeygen.run(java.util.Arrays.copyOfRange(args, 1, args.length),
                    Path.of(keys.isEmpty() ? "config/dkim" : keys), System.out, System.err);
            if (status != 0) {
                System.exit(status);
            }
            return;
        }
        useLoggingConfig(Path.of("config", "logback.xml"));
        create().run(args);
    }

    /** The operator's configuration and routes, nothing started or installed yet (explain builds on this too). */
    public static Main base() {
        Main main = new Main();
        String config = System.getProperty("gateway.config", "config/application.properties");
        main.setPropertyPlaceholderLocations("file:" + config);
        main.configure().withRoutesIncludePattern("file:routes/*.yaml");
        return main;
    }

    /** A configured but not started gateway (tests start and stop it). */
    public static Main create() {
        Main main = base();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport gateway) {
                StartupSummary.log(gateway.getCamelContext());
            }

            @Override
            public void beforeConfigure(BaseMainSupport gateway) {
                CamelContext context = gateway.getCamelContext();
                try {
                    // mail (the broker's store, spilled and archived messages) and keys live here
                    OwnerOnly.tree(dataDirectory(context), 1);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("the data directory could not be set up", e);
                }
                try {
                    Spool.install(context, spoolSettings(context));
                } catch (Exception e) {
                    throw new IllegalStateException("the spool could not be set up", e);
                }
                try {
                    GatewayMetrics.of(context).bindJvm(context);
                    AdminServer.install(context);
                } catch (Exception e) {
                    throw new IllegalStateException("the admin port could not be set up", e);
                }
                try {
                    RouteFileReload.install(context);
                } catch (Exception e) {
                    throw new IllegalStateException("route reloading could not be set up", e);
                }
            }
        });
        return main;
    }

    /** {@code gateway.data-dir}; never blank, which would make the working directory the data directory. */
    static Path dataDirectory(CamelContext context) {
        String directory = context.getPropertiesComponent().resolveProperty("gateway.data-dir").orElse("").trim();
        if (directory.isEmpty()) {
            throw new IllegalStateException("gateway.data-dir is empty: name the gateway's own directory, e.g. data");
        }
        return Path.of(directory);
    }

    /** The spool's settings from the gateway.* keys (which routes and the component use too). */
    static SpoolSettings spoolSettings(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        java.util.function.Function<String, String> key = name -> properties.resolveProperty(name).orElse("").trim();
        return new SpoolSettings(
                key.apply("gateway.broker.url"),
                dataDirectory(context).resolve("broker"),
                key.apply("gateway.broker.listen"),
                Boolean.parseBoolean(key.apply("gateway.archive.enabled")),
                org.apache.camel.util.TimeUtils.toDuration(key.apply("gateway.broker.send-timeout")),
                memoryLimit(Long.parseLong(key.apply("gateway.broker.memory-limit")),
                        Integer.parseInt(key.apply("gateway.relay.large-consumers")),
                        Long.parseLong(key.apply("gateway.smtp.max-message-size"))),
                Integer.parseInt(key.apply("gateway.broker.connections")),
                key.apply("gateway.broker.username"),
                key.apply("gateway.broker.password"));
    }

    /**
     * The embedded broker's memory for messages: the configured amount (0: a sixteenth of the heap, which it
     * shares with this JVM) for mail in general, plus the large-message lane's share on top: each of its consumers
     * holds one message of up to the largest size, and another may be on its way in. Without that share, two
     * 20 MB messages held by a slow destination would fill the broker's memory, and its cursors stop paging in
     * mail for every queue, not only theirs.
     */
    static long memoryLimit(long configured, int largeConsumers, long maxMessageSize) {
        long base = configured > 0 ? configured : Runtime.getRuntime().maxMemory() / 16;
        return base + 2L * largeConsumers * maxMessageSize;
    }

    /** Before the first logger exists: point logback at the operator's file unless told otherwise. */
    private static void useLoggingConfig(Path file) {
        if (System.getProperty("logback.configurationFile") == null && Files.isRegularFile(file)) {
            System.setProperty("logback.configurationFile", file.toString());
        }
    }
}
