package dev.mailgateway.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testkit.Outcome.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Policy that depends on who connects: a DNS blocklist the operator uses (answered by the kit's DNS server), and
 * mail from a named client address and HELO name (fromClient).
 */
class ExampleClientTests {

    @RegisterExtension
    static RouteTestKit gateway = RouteTestKit.shippedRoutes().relayDomains("example.com")
            .property("gateway.policy.dnsbl", "bl.example=127.0.0.[2..11]*2");

    private static final String HELLO = """
            From: Carol <carol@sender.example>
            To: bob@example.com
            Subject: Hello

            Hi Bob.
            """;

    @Test
    void aListedClientIsRefusedAtRcptNamingTheList() throws Exception {
        gateway.dns().a("9.113.0.203.bl.example", "127.0.0.2");

        Outcome outcome = gateway.messageText(HELLO).fromClient("203.0.113.9", "mail.sender.example").send();

        assertThat(outcome.decision()).isEqualTo(Decision.REFUSED);
        assertThat(outcome.reply()).startsWith("554 5.7.1 Service unavailable; client [203.0.113.9] blocked using"
                + " bl.example");
    }

    @Test
    void anUnlistedClientIsDeliveredWithItsAddressInTheTrace() throws Exception {
        Outcome outcome = gateway.messageText(HELLO).fromClient("198.51.100.20", "mx.sender.example").send();

        assertThat(outcome.decision()).isEqualTo(Decision.ACCEPTED);
        assertThat(outcome.delivered().header("Received")).startsWith("from mx.sender.example ([198.51.100.20])");
    }
}
