package dev.mailgateway.testkit;

import dev.mailgateway.auth.PasswordHash;
import dev.mailgateway.spool.AdminAccess;
import dev.mailgateway.testing.BrokerClients;
import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.EventCollector;
import dev.mailgateway.testing.ShippedRoutes;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.TestGateway;
import jakarta.jms.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The gateway with your routes and configuration, in the test, for checking what your rules do with a message.
 *
 * <p>It runs the real application (routes/*.yaml, config/application.properties, the embedded broker), with only
 * what a test needs changed: listeners on free ports, data in a temporary directory, a DNS server of its own on
 * loopback (every name unknown until the test publishes records: {@link #dns()}), and every message delivered to
 * a recording next hop instead of the internet. Mail is sent over real SMTP, from a client on the internet
 * (127.0.0.63, not in the trusted networks), from your trusted network (127.0.0.1, the only trusted address here)
 * or as an authenticated user of the submission listener.
 *
 * <pre>
 * &#64;RegisterExtension
 * static RouteTestKit gateway = RouteTestKit.shippedRoutes().relayDomains("example.com");
 *
 * &#64;Test
 * void spamIsRefused() throws Exception {
 *     Outcome outcome = gateway.message(RouteTestKit.sample("gtube.eml")).send();
 *     assertThat(outcome.reply()).startsWith("550 5.7.1");
 * }
 * </pre>
 *
 * As a static field the gateway starts once for the test class; as an instance field, once per test; or start
 * and close it yourself ({@link #start()}, try-with-resources).
 *
 * <p>Not camel-test-junit5's CamelTestSupport: that builds a Camel context of its own from the test's routes, with
 * mock endpoints in place of the real ones; an operator's question is what the whole gateway (Camel Main, the
 * listeners, the broker, the relay, their configuration) does with a message, so the kit runs exactly that.
 */
public final class RouteTestKit
        implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /** The address that stands for your trusted networks: the kit makes it the only one. */
    static final String TRUSTED_CLIENT = "127.0.0.1";
    /** The address that stands for a server on the internet. */
    static final String INTERNET_CLIENT = "127.0.0.63";
    /** The kit's own proxy address, which may name any client with XCLIENT ({@link Outgoing#fromClient}). */
    static final String PROXY = "127.0.0.62";
    static final String EVENT_CONSUMER = "route-test-kit";

    private Path routes = Path.of("routes");
    private final Map<String, String> routeFiles = new LinkedHashMap<>();
    private Path config = Path.of("config");
    private final Map<String, String> configFiles = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> users = new LinkedHashMap<>();
    private String relayDomains;

    private Path dir;
    private Path configInUse;
    private DnsServer dns;
    private Sink nextHop;
    private TestGateway gateway;
    private InboundExchanges inbound;
    private EventCollector events;
    private Connection broker;
    private boolean perTest;

    private RouteTestKit() {
    }

    /** The routes in routes/ and the configuration in config/ of this repository, as they are shipped. */
    public static RouteTestKit shippedRoutes() {
        return new RouteTestKit();
    }

    /** Your own routes: every *.yaml file of this directory, instead of routes/. */
    public RouteTestKit routes(Path directory) {
        this.routes = directory;
        return this;
    }

    /**
     * One route file of yours, put in (or over) a copy of the routes: e.g. {@code routeFile("rules.yaml", yaml)}
     * is the shipped routes with your rules.yaml.
     */
    public RouteTestKit routeFile(String name, String yaml) {
        routeFiles.put(name, yaml);
        return this;
    }

    /**
     * Your own configuration directory instead of config/: its application.properties, and the files it names
     * under config/ (content-rules, relay-recipients, users, dkim...) read from this directory.
     */
    public RouteTestKit config(Path directory) {
        this.config = directory;
        return this;
    }

    /**
     * One configuration file of yours, put in (or over) a copy of the configuration directory: e.g.
     * {@code configFile("content-rules", rules)} is the shipped configuration with your content rules.
     */
    public RouteTestKit configFile(String name, String text) {
        configFiles.put(name, text);
        return this;
    }

    /** One configuration key, as -Dkey=value would set it (it wins over application.properties). */
    public RouteTestKit property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /**
     * Domains that take mail from the internet (gateway.relay-domains), every user of them valid (a
     * gateway.relay-recipients file of {@code @domain} lines): what your configuration says for your own domains.
     */
    public RouteTestKit relayDomains(String... domains) {
        this.relayDomains = String.join(",", domains);
        return this;
    }

    /** A user who may authenticate at the submission listener ({@link Outgoing#asUser}). */
    public RouteTestKit user(String name, String password) {
        users.put(name, password);
        return this;
    }

    /** A sample message of this repository: src/test/resources/samples/NAME. */
    public static Path sample(String name) {
        Path sample = Path.of("src/test/resources/samples", name);
        if (!Files.isRegularFile(sample)) {
            throw new IllegalArgumentException("no sample " + sample);
        }
        return sample;
    }

    /** Starts the DNS server, the next hop and the gateway. */
    public RouteTestKit start() throws Exception {
        dir = Files.createTempDirectory("route-test-kit");
        try {
            configInUse = configDirectory();
            dns = DnsServer.start();
            nextHop = Sink.start("tls=none");
            inbound = new InboundExchanges();
            Path data = dir.resolve("data");
            gateway = TestGateway.start(data, overrides(), Map.of(InboundExchanges.BEAN, inbound), configFile());
            events = EventCollector.start(data, EVENT_CONSUMER);
            AdminAccess.Access access = AdminAccess.read(data.resolve("broker"));
            broker = BrokerClients.client(access.url(), access.username(), access.password()).createConnection();
            broker.start();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        return this;
    }

    private Map<String, String> overrides() throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        Map.Entry<String, String> routesKey = ShippedRoutes.from(routesDirectory());
        keys.put(routesKey.getKey(), routesKey.getValue());
        keys.putAll(configPaths());
        // the test's own world: no DNS of the host, no broker, Redis or next hop outside the test
        keys.put("gateway.dns.server", dns.address());
        keys.put("gateway.broker.url", "");
        keys.put("gateway.broker.listen", "");
        keys.put("gateway.state.redis", "");
        keys.put("gateway.relay.enabled", "true");
        keys.put("gateway.transport-map", "");
        keys.put("gateway.relay.smarthost", nextHop.address()); // every domain's mail, to the recording next hop
        keys.put("gateway.relay.smarthost.tls", "none");
        keys.put("gateway.relay.smarthost.username", "");
        keys.put("gateway.relay.smarthost.password", "");
        keys.put("gateway.relay.mx", "false");
        keys.put("gateway.trusted-networks", TRUSTED_CLIENT + "/32");
        keys.put("gateway.smtp.xclient-hosts", PROXY + "/32");
        keys.put("gateway.submissions.enabled", "false");
        keys.put("gateway.routes.reload", "false");
        if (relayDomains != null) {
            StringBuilder lines = new StringBuilder();
            for (String domain : relayDomains.split(",")) {
                lines.append('@').append(domain.strip().replaceFirst("^\\.", "")).append('\n');
            }
            keys.put("gateway.relay-domains", relayDomains);
            keys.put("gateway.relay-recipients", Files.writeString(dir.resolve("relay-recipients"), lines).toString());
        }
        if (!users.isEmpty()) {
            StringBuilder lines = new StringBuilder();
            users.forEach((name, password) -> lines.append(name).append(':').append(PasswordHash.bcrypt(password))
                    .append('\n'));
            keys.put("gateway.auth.users", Files.writeString(dir.resolve("users"), lines).toString());
            keys.put("gateway.submission.enabled", "true");
        } else {
            keys.put("gateway.submission.enabled", "false");
        }
        keys.putAll(properties);
        return keys;
    }

    /** routes/, or a copy of it with the test's route files in it. */
    private Path routesDirectory() throws IOException {
        if (routeFiles.isEmpty()) {
            return routes.toAbsolutePath();
        }
        Path copy = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(routes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        for (Map.Entry<String, String> file : routeFiles.entrySet()) {
            Files.writeString(copy.resolve(file.getKey()), file.getValue());
        }
        return copy;
    }

    /** config/ (or the test's own), or a copy of it with the test's configuration files in it. */
    private Path configDirectory() throws IOException {
        if (configFiles.isEmpty()) {
            return config;
        }
        Path source = config;
        Path copy = dir.resolve("config");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(source.relativize(file).toString()));
            }
        }
        for (Map.Entry<String, String> file : configFiles.entrySet()) {
            Files.writeString(copy.resolve(file.getKey()), file.getValue());
        }
        return copy;
    }

    private Path configFile() {
        return configInUse.resolve("application.properties").toAbsolutePath();
    }

    /** Keys of another configuration directory whose values name files under config/: read from that directory. */
    private Map<String, String> configPaths() throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        if (configInUse.toAbsolutePath().normalize().equals(Path.of("config").toAbsolutePath().normalize())) {
            return keys;
        }
        Properties file = new Properties();
        try (var in = Files.newInputStream(configFile())) {
            file.load(in);
        }
        for (String key : file.stringPropertyNames()) {
            String value = file.getProperty(key).strip();
            if (value.startsWith("config/")) {
                keys.put(key, configInUse.resolve(value.substring("config/".length())).toAbsolutePath().toString());
            }
        }
        return keys;
    }

    /** A message to send: an .eml file (a sample, or one of yours). */
    public Outgoing message(Path eml) {
        try {
            return new Outgoing(this, Files.readString(eml, java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A message to send, written out in the test (header fields, a blank line, the body). */
    public Outgoing messageText(String message) {
        return new Outgoing(this, message);
    }

    /** The DNS server the gateway asks: publish SPF, DKIM, DMARC or DNS list records here. */
    public DnsServer dns() {
        return running(dns);
    }

    /** The running gateway: its ports, its Camel context ({@code gateway().main().getCamelContext()}). */
    public TestGateway gateway() {
        return running(gateway);
    }

    Sink nextHop() {
        return running(nextHop);
    }

    InboundExchanges inbound() {
        return running(inbound);
    }

    EventCollector events() {
        return running(events);
    }

    Connection broker() {
        return running(broker);
    }

    private <T> T running(T part) {
        if (part == null) {
            throw new IllegalStateException("the route test kit is not started");
        }
        return part;
    }

    @Override
    public void close() {
        if (broker != null) {
            try {
                broker.close();
            } catch (Exception e) {
                // the gateway's broker stops next anyway
            }
            broker = null;
        }
        if (events != null) {
            try {
                events.close();
            } catch (Exception e) {
                // as above
            }
            events = null;
        }
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
        if (nextHop != null) {
            nextHop.close();
            nextHop = null;
        }
        if (dns != null) {
            dns.close();
            dns = null;
        }
        if (dir != null) {
            delete(dir);
            dir = null;
        }
    }

    private static void delete(Path tree) {
        try (Stream<Path> paths = Files.walk(tree)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is no failure of the test
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start(); // a static field: one gateway for the class
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (gateway == null) { // an instance field: one gateway per test
            perTest = true;
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }
}
