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
        Main main = GatewayMain.create();
        beans.forEach(main::bind);
        if (!overrides.containsKey("gateway.smtp.port")) {
            main.addOverrideProperty("gateway.smtp.port", "0");
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

    public Main main() {
        return main;
    }

    @Override
    public void close() {
        main.stop();
    }
}
