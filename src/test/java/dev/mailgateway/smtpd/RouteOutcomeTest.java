package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the client hears depends on what the route did: 250 only when the route completed and took the message;
 * 451 when it failed or let the message go without taking it; the route's own refusal when it gave a valid one.
 * The recipient's local part tells the route what to do.
 */
class RouteOutcomeTest {

    /** An error the route handles (onException handled), so the exchange ends without an exception. */
    static class SwallowedError extends RuntimeException {
        SwallowedError() {
            super("swallowed");
        }
    }

    /** A refusal the route catches and handles, as an operator might in an onException block. */
    static class HandledRefusal extends SmtpRejectException {
        HandledRefusal() {
            super(550, "5.7.0", "Refused in an onException block");
        }
    }

    private static TestListener listener;

    @BeforeAll
    static void start() throws Exception {
        listener = TestListener.start(new RouteBuilder() {
            @Override
            public void configure() {
                onException(SwallowedError.class).handled(true);
                onException(HandledRefusal.class).handled(true);
                from(TestListener.uri("")).routeId("smtpd")
                        .process(RouteOutcomeTest::act)
                        .filter(exchangeProperty("leaveUntaken").isNull())
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
            }
        });
    }

    @AfterAll
    static void stop() {
        listener.close();
    }

    private static void act(Exchange e) {
        String recipient = e.getMessage().getHeader(SmtpdConstants.RECIPIENTS, java.util.List.class).get(0).toString();
        switch (recipient.substring(0, recipient.indexOf('@'))) {
            case "throw" -> throw new IllegalStateException("disk on fire");
            case "swallow" -> throw new SwallowedError();
            case "reject" -> throw new SmtpRejectException(550, "5.7.1", "Message content rejected");
            case "handledreject" -> throw new HandledRefusal();
            case "badreject" -> throw new SmtpRejectException(550, "4.7.1", "class mismatch");
            case "reply" -> e.getMessage().setHeader(SmtpdConstants.REPLY, "554 5.7.1 Spam score too high");
            case "badreply" -> e.getMessage().setHeader(SmtpdConstants.REPLY, "250 2.0.0 fine by me");
            case "splitreply" -> e.getMessage().setHeader(SmtpdConstants.REPLY, "550 5.7.1 one\r\n250 2.0.0 two");
            case "untaken" -> e.setProperty("leaveUntaken", true);
            default -> {
            }
        }
    }

    private String send(String recipient) throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.startData("a@src.test", "" + recipient + "");
            client.sendRaw("Subject: test\r\n\r\nbody\r\n.\r\n");
            String reply = client.reply();
            client.command("NOOP", "250 "); // whatever the outcome, the session goes on
            return reply;
        }
    }

    @Test
    void takenMessageGets250() throws Exception {
        assertThat(send("ok@dest.test")).startsWith("250 2.0.0 Ok: queued as ");
    }

    @Test
    void routeThatThrowsGets451() throws Exception {
        assertThat(send("throw@dest.test")).isEqualTo("451 4.3.0 Error: message not queued, please try again later");
    }

    @Test
    void routeThatSwallowsTheErrorWithoutTakingGets451() throws Exception {
        assertThat(send("swallow@dest.test")).startsWith("451 4.3.0");
    }

    @Test
    void routeThatEndsWithoutTakingGets451() throws Exception {
        assertThat(send("untaken@dest.test")).startsWith("451 4.3.0");
    }

    @Test
    void routeRefusalByExceptionReachesTheClient() throws Exception {
        assertThat(send("reject@dest.test")).isEqualTo("550 5.7.1 Message content rejected");
    }

    @Test
    void routeRefusalHandledInOnExceptionReachesTheClient() throws Exception {
        assertThat(send("handledreject@dest.test")).isEqualTo("550 5.7.0 Refused in an onException block");
    }

    @Test
    void routeRefusalByHeaderReachesTheClient() throws Exception {
        assertThat(send("reply@dest.test")).isEqualTo("554 5.7.1 Spam score too high");
    }

    @Test
    void invalidRefusalsBecome451() throws Exception {
        assertThat(send("badreject@dest.test")).startsWith("451 4.3.0");
        assertThat(send("badreply@dest.test")).startsWith("451 4.3.0");
        assertThat(send("splitreply@dest.test")).startsWith("451 4.3.0");
    }

    @Test
    void fullWorkerPoolGets421() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        try (TestListener small = TestListener.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(TestListener.uri("workerThreads=1&workerQueueSize=0")).routeId("smtpd")
                        .process(e -> {
                            busy.countDown();
                            release.await(60, TimeUnit.SECONDS);
                        })
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
            }
        }); SmtpClient first = SmtpClient.ehlo(small.port()); SmtpClient second = SmtpClient.ehlo(small.port())) {
            first.startData("a@src.test", "b@dest.test");
            first.sendRaw("x\r\n.\r\n");
            assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();

            second.startData("a@src.test", "b@dest.test");
            second.sendRaw("x\r\n.\r\n");
            second.expect("421 4.3.2 mx.gateway.test System busy, try again later");
            assertThat(second.isClosedByServer()).isTrue();

            release.countDown();
            first.expect("250 2.0.0 Ok: queued as ");
        }
    }
}
