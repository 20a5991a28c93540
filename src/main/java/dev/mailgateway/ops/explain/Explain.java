package dev.mailgateway.ops.explain;

import dev.mailgateway.GatewayMain;
import dev.mailgateway.smtpd.SmtpdConfiguration;
import dev.mailgateway.smtpd.SmtpdConsumer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * {@code java -jar mail-gateway.jar explain message.eml --from A --to B ...}: what the gateway, as configured here,
 * would do with this message from this client, without doing it. The operator's routes and configuration run in
 * this process with a listener on loopback; a real SMTP session on the client's behalf (XCLIENT) gives every reply
 * the client would hear; policy checks ask DNS as in production. What would leave the process is held back: the
 * {@code jms} component is one that writes sends down (no broker is started or reached), the relay does not run
 * (its next hops are worked out, not contacted), events are off and policy state is a fresh in-memory one (no
 * shared Redis counter or greylist entry moves).
 */
public final class Explain {

    private Explain() {
    }

    /** The command line: 0 when explained (whatever the decision), 2 on a usage error, 1 when it could not run. */
    public static int main(String[] args, PrintStream out, PrintStream err) {
        ExplainOptions options;
        try {
            options = ExplainOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(ExplainOptions.USAGE);
            return 2;
        }
        quietLogs();
        try {
            Map<String, Object> report = run(options, Map.of());
            out.print(options.json() ? ExplainReport.json(report) : ExplainReport.text(report));
            return 0;
        } catch (Exception e) {
            err.println("explain failed: " + e.getMessage());
            return 1;
        }
    }

    /** Explains and returns the report (the JSON's structure); {@code overrides} win over the configuration. */
    public static Map<String, Object> run(ExplainOptions options, Map<String, String> overrides) throws Exception {
        byte[] message = DotStuffing.crlf(Files.readAllBytes(options.message()));
        Path data = Files.createTempDirectory("mail-gateway-explain");
        Main main = GatewayMain.base();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("gateway.data-dir", data.toString());
        settings.put("gateway.smtp.bind", "127.0.0.1");
        settings.put("gateway.smtp.port", "0");
        settings.put("gateway.submission.port", "0");
        settings.put("gateway.submissions.port", "0");
        settings.put("gateway.smtp.xclient-hosts", "127.0.0.1/32");
        settings.put("gateway.relay.enabled", "false");
        settings.put("gateway.events.enabled", "false");
        settings.put("gateway.state.redis", "");
        settings.put("gateway.routes.reload", "false");
        settings.put("gateway.admin.port", "-1");
        settings.putAll(overrides);
        settings.forEach(main::addOverrideProperty);
        RecordingJms jms = new RecordingJms();
        main.bind("jms", jms);
        // what routes and beans are configured with (#jmsConnectionFactory); nothing connects with it
        main.bind("jmsConnectionFactory", new ActiveMQConnectionFactory("vm://mail-gateway-explain?create=false"));
        RouteFindings findings = new RouteFindings();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport gateway) {
                // before start: Camel emits exchange events only when a notifier is there from the beginning
                gateway.getCamelContext().getManagementStrategy().addEventNotifier(findings);
            }
        });
        try {
            main.start();
            CamelContext context = main.getCamelContext();
            Route route = context.getRoute(options.listener());
            if (route == null || !(route.getConsumer() instanceof SmtpdConsumer listener)
                    || listener.getLocalAddress() == null) {
                throw new IllegalArgumentException("no listener " + options.listener() + " runs in this configuration");
            }
            SmtpdConfiguration config = listener.getEndpoint().getConfiguration();
            ExplainSession.Outcome outcome = ExplainSession.talk(listener.getLocalAddress(), config.getTls(),
                    options.tls(), options, message, findings::clear);
            return ExplainReport.of(options, message, outcome, findings.findings(), jms.sent(), context);
        } finally {
            main.stop();
            delete(data);
        }
    }

    private static void quietLogs() {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(ch.qos.logback.classic.Level.ERROR);
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
