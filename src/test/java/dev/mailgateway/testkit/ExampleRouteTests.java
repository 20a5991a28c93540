package dev.mailgateway.testkit;

import static dev.mailgateway.testkit.RouteTestKit.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testkit.Outcome.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Examples of the route test kit (README "Testing your rules") against the routes and configuration as shipped:
 * the sample messages in src/test/resources/samples sent over SMTP, the decision and the delivered message checked.
 * Copy one, change the sample or the expectation, and you have a test of your own rules.
 */
class ExampleRouteTests {

    // One gateway for all tests of this class: routes/, config/, and example.com as our own domain.
    @RegisterExtension
    static RouteTestKit gateway = RouteTestKit.shippedRoutes().relayDomains("example.com");

    @Test
    void aPlainMessageFromTheInternetIsDeliveredAsNotSpam() throws Exception {
        Outcome outcome = gateway.message(sample("plain.eml")).send();

        assertThat(outcome.decision()).isEqualTo(Decision.ACCEPTED);
        Delivered delivered = outcome.delivered();
        assertThat(delivered.recipients()).containsExactly("bob@example.com");
        assertThat(delivered.header("X-Spam-Status")).startsWith("No,");
        // the gateway adds its trace, its sender checks and its verdict, removes nothing and keeps the body
        assertThat(delivered.headerDiff().addedNames()).containsExactlyInAnyOrder(
                "Received", "Authentication-Results", "X-Spam-Score", "X-Spam-Status");
        assertThat(delivered.headerDiff().removed()).isEmpty();
        assertThat(delivered.bodyUnchanged()).isTrue();
    }

    @Test
    void gtubeIsRefusedAsSpam() throws Exception {
        Outcome outcome = gateway.message(sample("gtube.eml")).send();

        assertThat(outcome.reply()).isEqualTo("550 5.7.1 Message rejected as spam (GTUBE)");
        assertThat(outcome.reasons()).contains("GTUBE (1000)");
    }

    @Test
    void anExecutableAttachmentIsRefused() throws Exception {
        Outcome outcome = gateway.message(sample("exe-attachment.eml")).send();

        assertThat(outcome.reply())
                .isEqualTo("554 5.7.1 Message rejected: attachment type not allowed (invoice.exe)");
    }

    @Test
    void theInternetMayNotRelayToAForeignDomain() throws Exception {
        Outcome outcome = gateway.message(sample("plain.eml")).to("someone@elsewhere.example").send();

        assertThat(outcome.decision()).isEqualTo(Decision.REFUSED);
        assertThat(outcome.reply()).isEqualTo("554 5.7.1 <someone@elsewhere.example>: Relay access denied");
    }

    @Test
    void mailFailingItsDomainsDmarcQuarantinePolicyIsQuarantined() throws Exception {
        // a domain of its own: the record stays published for the other tests of this gateway
        gateway.dns().txt("_dmarc.newsletter.example", "v=DMARC1; p=quarantine");
        Outcome outcome = gateway.messageText("""
                From: news@newsletter.example
                To: bob@example.com
                Subject: Not really from the newsletter
                Date: Fri, 04 Dec 2026 10:00:00 +0000
                Message-ID: <dmarc-1@newsletter.example>

                Neither SPF nor DKIM vouch for this sender.
                """).send();

        assertThat(outcome.decision()).isEqualTo(Decision.QUARANTINED);
        assertThat(outcome.event("accepted").path("decision").asText()).isEqualTo("quarantine");
    }

    @Test
    void ourTrustedNetworkMayRelayAnywhereAndItsSpamIsOnlyTagged() throws Exception {
        // mail of our own users and networks is tagged, never refused for its content (gateway.spam.reject-own-mail)
        Outcome outcome = gateway.message(sample("gtube.eml")).fromTrustedNetwork()
                .from("alice@example.com").to("someone@elsewhere.example").send();

        assertThat(outcome.decision()).isEqualTo(Decision.ACCEPTED);
        assertThat(outcome.verdict()).isEqualTo("tag");
        assertThat(outcome.delivered().header("X-Spam-Flag")).isEqualTo("YES");
        assertThat(outcome.event("accepted").path("decision").asText()).isEqualTo("deliver");
    }
}
