package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.ChildGateway;
import dev.mailgateway.testing.SmtpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/mail-gateway.jar} from the repository root, as README says, configured by environment
 * variables only; stopped with SIGTERM, it closes sessions with 421 and exits.
 */
class GatewayProcessIT {

    @TempDir
    Path dataDir;

    @Test
    void jarRunsWithEnvironmentOverridesAndStopsGracefullyOnSigterm() throws Exception {
        int port = ChildGateway.freePort();
        Path log = dataDir.resolve("gateway.log");
        ProcessBuilder builder = ChildGateway.builder(port, dataDir, log, "-Xmx256m");
        builder.environment().put("GATEWAY_ARCHIVE_ENABLED", "true");
        builder.environment().put("GATEWAY_HOSTNAME", "process.test");
        Process gateway = builder.start();
        try {
            ChildGateway.awaitGreeting(port, "220 process.test ESMTP");
            String queueId;
            try (SmtpClient client = SmtpClient.ehlo(port)) {
                String reply = client.sendMessage("a@src.test", "Subject: from a child JVM\r\n\r\nhi\r\n", "b@dest.test");
                queueId = reply.substring(reply.lastIndexOf(' ') + 1);
            }
            dev.mailgateway.testing.Archive.await(dataDir.resolve("archive"), queueId);

            try (SmtpClient idle = SmtpClient.ehlo(port)) {
                gateway.destroy(); // SIGTERM
                idle.expect("421 4.3.2 process.test Service shutting down");
            }
            assertThat(gateway.waitFor(2, TimeUnit.MINUTES)).isTrue();
            String text = Files.readString(log);
            assertThat(text).contains(queueId);
            // the order of a graceful stop: listeners (and their sessions), then the queue consumers, then the broker
            int listener = text.indexOf("listener mx stopped");
            int relay = text.indexOf("relay stopped: deliveries finished");
            int broker = text.indexOf("embedded ActiveMQ broker stopped");
            assertThat(listener).isPositive();
            assertThat(relay).isGreaterThan(listener);
            assertThat(broker).isGreaterThan(relay);
        } finally {
            gateway.destroyForcibly();
        }
    }
}
