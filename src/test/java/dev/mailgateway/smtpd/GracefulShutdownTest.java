package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * Stopping the gateway: new clients hear 421, waiting sessions are told 421 at once, and a message already in the
 * route gets its answer (250) before its session is closed. Only then does the listener let go.
 */
class GracefulShutdownTest {

    @Test
    void sessionsInFlightFinishAndEveryoneElseHears421() throws Exception {
        CountDownLatch inRoute = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestListener listener = TestListener.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(TestListener.uri("")).routeId("smtpd")
                        .process(e -> {
                            inRoute.countDown();
                            release.await(60, TimeUnit.SECONDS);
                        })
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
            }
        });
        int port = listener.port();
        CompletableFuture<Void> stopped;
        try (SmtpClient sending = SmtpClient.ehlo(port);
                SmtpClient idle = SmtpClient.ehlo(port);
                SmtpClient midTransaction = SmtpClient.ehlo(port)) {
            midTransaction.command("MAIL FROM:<a@src.test>", "250 ");
            sending.startData("a@src.test", "b@dest.test");
            sending.sendRaw("x\r\n.\r\n");
            assertThat(inRoute.await(30, TimeUnit.SECONDS)).isTrue();

            stopped = CompletableFuture.runAsync(listener::close);

            idle.expect("421 4.3.2 mx.gateway.test Service shutting down");
            assertThat(idle.isClosedByServer()).isTrue();
            midTransaction.expect("421 4.3.2");
            try (SmtpClient late = new SmtpClient(port)) {
                late.expect("421 4.3.2 mx.gateway.test Service shutting down");
            }
            assertThat(stopped).isNotDone();

            release.countDown();
            sending.expect("250 2.0.0 Ok: queued as ");
            sending.expect("421 4.3.2");
            assertThat(sending.isClosedByServer()).isTrue();
        }
        stopped.get(60, TimeUnit.SECONDS);
    }
}
