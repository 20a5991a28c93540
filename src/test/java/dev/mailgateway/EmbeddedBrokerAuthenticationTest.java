package dev.mailgateway;

import static dev.mailgateway.testing.BrokerClients.client;
import static dev.mailgateway.testing.BrokerClients.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mailgateway.spool.AdminAccess;
import dev.mailgateway.spool.EmbeddedBroker;
import dev.mailgateway.spool.Queues;
import dev.mailgateway.spool.SpoolSettings;
import dev.mailgateway.testing.TestGateway;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.command.ActiveMQQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The embedded broker never lets anyone in without its user and password: not on gateway.broker.listen (other
 * gateways), not on the loopback connector of the queue tools; and it does not listen at all without both set.
 */
class EmbeddedBrokerAuthenticationTest {

    private static final String PASSWORD = "listen-secret-for-this-test";

    @TempDir
    Path dir;

    private TestGateway start(String username, String password, String listen) throws Exception {
        Map<String, String> config = new HashMap<>(Map.of("gateway.broker.username", username,
                "gateway.broker.password", password, "gateway.broker.listen", listen,
                // nothing takes mail.relay, so what reached it stays there to be seen
                "gateway.relay.enabled", "false",
                "gateway.submission.enabled", "false", "gateway.submissions.enabled", "false"));
        return TestGateway.start(dir, config);
    }

    private static URI listenUri(TestGateway gateway) {
        URI uri = gateway.main().getCamelContext().hasService(EmbeddedBroker.class).listenUri();
        assertThat(uri.getPort()).isPositive();
        return uri;
    }

    private static List<String> browse(ActiveMQConnectionFactory factory, String queue) throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(new ActiveMQQueue(queue));
            for (Object message : Collections.list(browser.getEnumeration())) {
                texts.add(message instanceof TextMessage text ? text.getText() : ((Message) message).getJMSType());
            }
        }
        return texts;
    }

    @Test
    void anAnonymousClientOnTheListenTransportIsRefusedAndPutsNothingOnMailRelay() throws Exception {
        try (TestGateway gateway = start("gateway", PASSWORD, "tcp://127.0.0.1:0")) {
            String url = listenUri(gateway).toString();

            assertThatThrownBy(() -> send(client(url, null, null), Queues.RELAY, "anonymous"))
                    .isInstanceOf(JMSException.class); // a JMSSecurityException, or "disposed" when the broker hangs up first

            ActiveMQConnectionFactory gatewayUser = client(url, "gateway", PASSWORD);
            send(gatewayUser, Queues.RELAY, "authenticated");
            assertThat(browse(gatewayUser, Queues.RELAY)).containsExactly("authenticated");
        }
    }

    @Test
    void aWrongPasswordOnTheListenTransportIsRefused() throws Exception {
        try (TestGateway gateway = start("gateway", PASSWORD, "tcp://127.0.0.1:0")) {
            String url = listenUri(gateway).toString();

            assertThatThrownBy(() -> send(client(url, "gateway", "guessed"), Queues.SPOOL, "guess"))
                    .isInstanceOf(JMSException.class); // a JMSSecurityException, or "disposed" when the broker hangs up first
            assertThatThrownBy(() -> send(client(url, "", ""), Queues.SPOOL, "blank"))
                    .isInstanceOf(JMSException.class); // a JMSSecurityException, or "disposed" when the broker hangs up first
            assertThat(browse(client(url, "gateway", PASSWORD), Queues.RELAY)).isEmpty();
        }
    }

    @ParameterizedTest(name = "username \"{0}\", password \"{1}\"")
    @CsvSource({"'', listen-secret", "gateway, ''", "'', ''"})
    void startRefusesToListenWithoutBothUsernameAndPassword(String username, String password) {
        Throwable thrown = catchThrowable(() -> start(username, password, "tcp://127.0.0.1:0").close());

        assertThat(thrown).as("the gateway started").isNotNull();
        assertThat(thrown).rootCause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("gateway.broker.listen is tcp://127.0.0.1:0")
                .hasMessageContaining("gateway.broker." + (username.isEmpty() ? "username" : "password") + " is empty")
                .hasMessageContaining("set both gateway.broker.username and gateway.broker.password");
    }

    @ParameterizedTest(name = "username \"{0}\", password \"{1}\"")
    @CsvSource({"'', secret", "gateway, ''"})
    void aBrokerIsNeverConfiguredWithoutAUserAndPassword(String username, String password) {
        SpoolSettings settings = new SpoolSettings("", dir.resolve("broker"), "", false, Duration.ofSeconds(10),
                32L * 1024 * 1024, 16, username, password);

        assertThatThrownBy(() -> EmbeddedBroker.configure(new BrokerService(), settings, "never-started"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anonymous access is never allowed");
    }

    @Test
    void theLoopbackAdminConnectorRequiresTheCredentialsToo() throws Exception {
        // the reviewed configuration, without listen: a password but no user name
        try (TestGateway gateway = start("", "admin-secret", "")) {
            AdminAccess.Access access = AdminAccess.read(dir.resolve("broker"));

            assertThatThrownBy(() -> send(client(access.url(), null, null), Queues.RELAY, "anonymous"))
                    .isInstanceOf(JMSException.class); // a JMSSecurityException, or "disposed" when the broker hangs up first
            assertThatThrownBy(() -> send(client(access.url(), "gateway", "guessed"), Queues.RELAY, "guess"))
                    .isInstanceOf(JMSException.class); // a JMSSecurityException, or "disposed" when the broker hangs up first
            // the queue tools' credentials (admin.properties): the configured password, the default user name
            assertThat(access.username()).isEqualTo("gateway");
            assertThat(access.password()).isEqualTo("admin-secret");
            assertThat(browse(client(access.url(), access.username(), access.password()), Queues.RELAY)).isEmpty();
        }
    }
}
