package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Limits on connections and time, and the greet pause: each answered with its 421/554 and a close. */
class SessionLimitsTest {

    /** Loopback is not trusted on these listeners, unless a test says so. */
    private static final String UNTRUSTED = "trustedNetworks=192.0.2.0/24";

    @Test
    void connectionsOverTheTotalGet421AndAFreedPlaceIsUsedAgain() throws Exception {
        try (TestListener listener = TestListener.start("maxConnections=2");
                SmtpClient first = SmtpClient.connect(listener.port());
                SmtpClient second = SmtpClient.connect(listener.port())) {
            try (SmtpClient third = new SmtpClient(listener.port())) {
                third.expect("421 4.7.0 mx.gateway.test Error: too many connections");
                assertThat(third.isClosedByServer()).isTrue();
            }
            first.command("QUIT", "221 ");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                try (SmtpClient again = new SmtpClient(listener.port())) {
                    again.expect("220 ");
                }
            });
            second.command("NOOP", "250 ");
        }
    }

    @Test
    void connectionsOverThePerClientLimitGet421() throws Exception {
        try (TestListener listener = TestListener.start(UNTRUSTED + "&maxConnectionsPerClient=2");
                SmtpClient first = SmtpClient.connect(listener.port());
                SmtpClient second = SmtpClient.connect(listener.port());
                SmtpClient third = new SmtpClient(listener.port())) {
            third.expect("421 4.7.0 mx.gateway.test Error: too many connections from your address");
            assertThat(third.isClosedByServer()).isTrue();
            first.command("NOOP", "250 ");
        }
    }

    @Test
    void trustedClientsAreNotHeldToThePerClientLimit() throws Exception {
        try (TestListener listener = TestListener.start("maxConnectionsPerClient=1");
                SmtpClient first = SmtpClient.connect(listener.port());
                SmtpClient second = SmtpClient.connect(listener.port());
                SmtpClient third = SmtpClient.connect(listener.port())) {
            third.command("NOOP", "250 ");
        }
    }

    @Test
    void silentClientGets421AfterTheIdleTimeout() throws Exception {
        try (TestListener listener = TestListener.start("idleTimeout=1s");
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.expect("421 4.4.2 mx.gateway.test Error: timeout exceeded");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void slowRouteIsNotMistakenForAnIdleClient() throws Exception {
        try (TestListener listener = TestListener.start(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from(TestListener.uri("idleTimeout=1s")).routeId("smtpd")
                        .delay(2500).syncDelayed()
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
            }
        }); SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.sendMessage("a@src.test", "x\r\n", "b@dest.test");
        }
    }

    @Test
    void clientTalkingBeforeTheGreetingGets554AndIsClosed() throws Exception {
        try (TestListener listener = TestListener.start(UNTRUSTED + "&greetPause=10s");
                SmtpClient client = new SmtpClient(listener.port())) {
            client.send("EHLO hasty.test");
            client.expect("554 5.5.1 mx.gateway.test Error: you spoke before the greeting");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void patientClientIsGreetedAfterThePause() throws Exception {
        try (TestListener listener = TestListener.start(UNTRUSTED + "&greetPause=1s")) {
            long start = System.nanoTime();
            try (SmtpClient client = new SmtpClient(listener.port())) {
                client.expect("220 mx.gateway.test ESMTP");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
                client.command("EHLO patient.test", "250 ");
            }
        }
    }

    @Test
    void trustedClientsAreGreetedWithoutThePause() throws Exception {
        // the pause is longer than the client's read timeout: only an exempt client can pass
        try (TestListener listener = TestListener.start("greetPause=10m");
                SmtpClient client = new SmtpClient(listener.port())) {
            client.expect("220 ");
        }
    }
}
