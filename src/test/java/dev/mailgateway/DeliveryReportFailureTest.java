package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.relay.DeliveryReport;
import dev.mailgateway.spool.QueueAdmin;
import dev.mailgateway.spool.Spool;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recipient that got 250 from its next hop never gets the message again because something after that failed:
 * a delivery report that cannot be spooled is tried again where it stopped, and when it keeps failing the
 * recipients still to be served go on hold, instead of a rollback that would deliver everything again.
 */
class DeliveryReportFailureTest {

    @TempDir
    Path dir;

    /** The spool's connection factory, failing the first {@code failures} connections the report asks for. */
    private static final class Failing implements ConnectionFactory {
        private final ConnectionFactory real;
        private final AtomicInteger failures;

        Failing(ConnectionFactory real, int failures) {
            this.real = real;
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public Connection createConnection() throws JMSException {
            if (failures.getAndDecrement() > 0) {
                throw new JMSException("injected: the spool is not taking this send");
            }
            return real.createConnection();
        }

        @Override
        public Connection createConnection(String user, String password) throws JMSException {
            return createConnection();
        }

        @Override
        public JMSContext createContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        public JMSContext createContext(String user, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JMSContext createContext(String user, String password, int sessionMode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public JMSContext createContext(int sessionMode) {
            throw new UnsupportedOperationException();
        }
    }

    private TestGateway gateway(Sink dest) throws Exception {
        return TestGateway.start(dir, Map.of("gateway.transport-map", "dest.test=" + dest.address(),
                "gateway.relay.retry-schedule", "1s", "gateway.relay.mx", "false",
                "gateway.submission.enabled", "false", "gateway.submissions.enabled", "false"));
    }

    private static ConnectionFactory spool(TestGateway gateway) {
        return gateway.main().getCamelContext().getRegistry().lookupByNameAndType(Spool.CONNECTION_FACTORY,
                ConnectionFactory.class);
    }

    private static void failReportSends(TestGateway gateway, int failures) {
        DeliveryReport report = gateway.main().getCamelContext().getRegistry()
                .lookupByNameAndType("deliveryReport", DeliveryReport.class);
        report.setSendRetryDelay(Duration.ofMillis(50));
        report.setConnectionFactory(new Failing(spool(gateway), failures));
    }

    @Test
    void aReportSendThatFailsTwiceIsTriedAgainAndNobodyGetsTheMessageTwice() throws Exception {
        try (Sink dest = Sink.start(""); TestGateway gateway = gateway(dest);
                SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            failReportSends(gateway, 2);
            client.sendMessage("s@src.test", "X-Test-Token: once\r\n\r\nx\r\n", "ok@dest.test", "temp@dest.test");
            await().atMost(Duration.ofSeconds(60)).until(() -> dest.attempts("temp@dest.test") >= 1);
            dest.acceptTemp();
            await().atMost(Duration.ofSeconds(60)).until(() -> dest.byRecipient().containsKey("temp@dest.test"));
            assertThat(dest.byRecipient().get("ok@dest.test")).as("delivered once, never again").hasSize(1);
            assertThat(dest.byRecipient().get("temp@dest.test")).hasSize(1);
        }
    }

    @Test
    void aReportThatKeepsFailingPutsTheRecipientsStillToServeOnHoldAndResendsNothing() throws Exception {
        try (Sink dest = Sink.start(""); TestGateway gateway = gateway(dest);
                LogLines log = new LogLines("dev.mailgateway.relay");
                SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            failReportSends(gateway, 3);
            client.sendMessage("s@src.test", "X-Test-Token: held\r\n\r\nx\r\n", "ok@dest.test", "temp@dest.test");
            await().atMost(Duration.ofSeconds(60)).until(() -> log.contains("put on hold"));
            try (QueueAdmin admin = new QueueAdmin(spool(gateway))) {
                List<QueueAdmin.Entry> waiting = admin.list();
                assertThat(waiting).singleElement().satisfies(entry -> {
                    assertThat(entry.state()).isEqualTo("hold");
                    assertThat(entry.recipients()).containsExactly("temp@dest.test");
                    assertThat(entry.lastError()).contains("delivery report failed");
                });
            }
            assertThat(dest.byRecipient().get("ok@dest.test")).hasSize(1);
            assertThat(log.lines()).filteredOn(l -> l.contains("to=<ok@dest.test>")).hasSize(1);
        }
    }
}
