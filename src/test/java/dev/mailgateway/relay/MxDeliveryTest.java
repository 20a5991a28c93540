package dev.mailgateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.SpoolEnvelope;
import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.Sink;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery by MX: a DNS server on loopback answers for the test domains, and the MX hosts are SMTP servers on
 * different loopback addresses, all on one port, as MX hosts all listen on port 25.
 */
class MxDeliveryTest {

    private CamelContext context;
    private DnsServer dns;
    private int port;

    @BeforeEach
    void start() throws Exception {
        context = new DefaultCamelContext();
        context.start();
        dns = DnsServer.start();
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        context.stop();
        dns.close();
    }

    /** An MX host: an SMTP server on this loopback address and the shared port. */
    private Sink host(String address) throws Exception {
        return Sink.start("bind=" + address + "&port=" + port + "&tls=none");
    }

    private RecipientOutcome relay(String recipient) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody("Subject: mx\r\n\r\nx\r\n".getBytes(StandardCharsets.UTF_8));
        exchange.getMessage().setHeader(SmtpdConstants.QUEUE_ID, "TESTQUEUEID00000002");
        exchange.getMessage().setHeader(SmtpdConstants.SENDER, "a@src.test");
        exchange.getMessage().setHeader(SpoolEnvelope.RECIPIENTS, recipient);
        Exchange done = context.createProducerTemplate().send("smtp-relay:mx?heloName=relay.gateway.test&tls=none"
                + "&dnsServer=" + dns.address() + "&mxPort=" + port + "&connectTimeout=2s", exchange);
        assertThat(done.getException()).isNull();
        @SuppressWarnings("unchecked")
        List<RecipientOutcome> outcomes = done.getMessage().getHeader(SmtpRelayConstants.OUTCOMES, List.class);
        return outcomes.get(0);
    }

    @Test
    void theMostPreferredHostThatAnswersGetsTheMail() throws Exception {
        dns.mx("order.test", 10, "mx1.order.test").a("mx1.order.test", "127.0.0.2") // nobody listens there
                .mx("order.test", 20, "mx2.order.test").a("mx2.order.test", "127.0.0.3")
                .mx("order.test", 30, "mx3.order.test").a("mx3.order.test", "127.0.0.4");
        try (Sink second = host("127.0.0.3"); Sink third = host("127.0.0.4")) {
            RecipientOutcome outcome = relay("x@order.test");
            assertThat(outcome.status()).isEqualTo(RecipientOutcome.Status.DELIVERED);
            assertThat(outcome.nextHop().label()).isEqualTo("mx2.order.test[127.0.0.3]:" + port);
            assertThat(second.received()).hasSize(1);
            assertThat(third.received()).isEmpty();
        }
    }

    @Test
    void hostsThatRefuseAtTheGreetingAreSkipped() throws Exception {
        dns.mx("picky.test", 10, "busy.picky.test").a("busy.picky.test", "127.0.0.5")
                .mx("picky.test", 20, "closed.picky.test").a("closed.picky.test", "127.0.0.6")
                .mx("picky.test", 30, "open.picky.test").a("open.picky.test", "127.0.0.7");
        try (Sink busy = host("127.0.0.5").refuseGreeting("450 4.7.1 Too busy");
                Sink closed = host("127.0.0.6").refuseGreeting("554 5.7.1 No service");
                Sink open = host("127.0.0.7")) {
            assertThat(relay("x@picky.test").status()).isEqualTo(RecipientOutcome.Status.DELIVERED);
            assertThat(open.received()).hasSize(1);
            assertThat(busy.connections()).isEqualTo(1);
            assertThat(closed.connections()).isEqualTo(1);
        }
    }

    @Test
    void allHostsUnavailableDefers() throws Exception {
        dns.mx("down.test", 10, "mx.down.test").a("mx.down.test", "127.0.0.8");
        RecipientOutcome outcome = relay("x@down.test");
        assertThat(outcome.status()).isEqualTo(RecipientOutcome.Status.DEFERRED);
        assertThat(outcome.reply().dsnStatus()).isEqualTo("4.4.1");
    }

    @Test
    void aDomainWithoutMxIsItsOwnMailHost() throws Exception {
        dns.a("implicit.test", "127.0.0.9");
        try (Sink host = host("127.0.0.9")) {
            assertThat(relay("x@implicit.test").status()).isEqualTo(RecipientOutcome.Status.DELIVERED);
            assertThat(host.received()).hasSize(1);
        }
    }

    @Test
    void nullMxFailsWith5110() {
        dns.mx("nullmx.test", 0, ".");
        RecipientOutcome outcome = relay("x@nullmx.test");
        assertThat(outcome.status()).isEqualTo(RecipientOutcome.Status.FAILED);
        assertThat(outcome.reply().dsnStatus()).isEqualTo("5.1.10");
    }

    @Test
    void domainThatDoesNotExistFailsWith512() {
        RecipientOutcome outcome = relay("x@nxdomain.test");
        assertThat(outcome.status()).isEqualTo(RecipientOutcome.Status.FAILED);
        assertThat(outcome.reply().dsnStatus()).isEqualTo("5.1.2");
    }

    @Test
    void dnsFailureDefersAndTheNextAttemptDelivers() throws Exception {
        dns.mx("servfail.test", 10, "mx.servfail.test").a("mx.servfail.test", "127.0.0.10").servfail("servfail.test", 1);
        try (Sink host = host("127.0.0.10")) {
            RecipientOutcome first = relay("x@servfail.test");
            assertThat(first.status()).isEqualTo(RecipientOutcome.Status.DEFERRED);
            assertThat(first.reply().dsnStatus()).isEqualTo("4.4.3");
            assertThat(relay("x@servfail.test").status()).isEqualTo(RecipientOutcome.Status.DELIVERED);
            assertThat(host.received()).hasSize(1);
        }
    }

    @Test
    void mxPointingAtOurselvesIsALoop() throws Exception {
        dns.mx("self.test", 10, "relay.gateway.test").a("relay.gateway.test", "127.0.0.11")
                .mx("self.test", 20, "backup.self.test").a("backup.self.test", "127.0.0.12");
        RecipientOutcome outcome = relay("x@self.test");
        assertThat(outcome.status()).isEqualTo(RecipientOutcome.Status.FAILED);
        assertThat(outcome.reply().dsnStatus()).isEqualTo("5.4.6");
        assertThat(outcome.reply().text()).contains("loops back to myself");
    }

    @Test
    void onlyHostsMorePreferredThanOurselvesAreTried() throws Exception {
        dns.mx("backup.test", 5, "primary.backup.test").a("primary.backup.test", "127.0.0.13")
                .mx("backup.test", 10, "relay.gateway.test").a("relay.gateway.test", "127.0.0.11");
        try (Sink primary = host("127.0.0.13")) {
            assertThat(relay("x@backup.test").status()).isEqualTo(RecipientOutcome.Status.DELIVERED);
            assertThat(primary.received()).hasSize(1);
        }
    }
}
