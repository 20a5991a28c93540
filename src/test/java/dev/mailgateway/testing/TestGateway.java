package dev.mailgateway.testing;

import dev.mailgateway.GatewayMain;
import dev.mailgateway.smtpd.SmtpdConsumer;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * The real application (camel-main with config/application.properties and routes/*.yaml) in this JVM, with its
 * listeners on free ports, its data in a given directory, and the test's overrides.
 */
public final class TestGateway implements AutoCloseable {

    private final Main main;

    private TestGateway(Main main) {
        this.main = main;
    }

    public static TestGateway start(Path dataDir, Map<String, String> overrides) throws Exception {
        return start(dataDir, overrides, Map.of());
    }

    /** With beans bound in the registry first, for overrides such as {@code camel.component.x.clock=#name}. */
    public static TestGateway start(Path dataDir, Map<String, String> overrides, Map<String, Object> beans)
            throws Exception {
        return start(dataDir, overrides, beans, null);
    }

    /** With another configuration file than config/application.properties (null: that one), as -Dgateway.config. */
    public static TestGateway start(Path dataDir, Map<String, String> overrides, Map<String, Object> beans,
            Path configFile) throws Exception {
        Main main = GatewayMain.create();
        if (configFile != null) {
            main.setPropertyPlaceholderLocations("file:" + configFile);
        }
        beans.forEach(main::bind);
        if (!overrides.containsKey("gateway.smtp.port")) {
            main.addOverrideProperty("gateway.smtp.port", "0");
        }
        if (!overrides.containsKey("gateway.admin.port")) {
            main.addOverrideProperty("gateway.admin.port", "0"); // tests run gateways side by side
        }
        main.addOverrideProperty("gateway.submission.port", "0");
        main.addOverrideProperty("gateway.submissions.port", "0");
        if (!overrides.containsKey("gateway.hostname")) {
            main.addOverrideProperty("gateway.hostname", "gw.test");
        }
        main.addOverrideProperty("gateway.data-dir", dataDir.toString());
        overrides.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception | Error e) {
            main.stop(); // a gateway that failed to start leaves no broker or listener behind
            throw e;
        }
        return new TestGateway(main);
    }

    /** The port of a listener route: mx, submission or submissions. */
    public int port(String route) {
        return ((SmtpdConsumer) main.getCamelContext().getRoute(route).getConsumer()).getLocalAddress().getPort();
    }

    public int port() {
        return port("mx");
    }

    /** The admin port's base URL, e.g. http://127.0.0.1:40123 */
    public String adminUrl() {
        java.net.InetSocketAddress address = main.getCamelContext().getRegistry()
                .lookupByNameAndType(dev.mailgateway.ops.AdminServer.BEAN, dev.mailgateway.ops.AdminServer.class)
                .address();
        return "http://" + address.getHostString() + ":" + address.getPort();
    }

    public Main main() {
        return main;
    }

    @Override
    public void close() {
        main.stop();
    }
}
