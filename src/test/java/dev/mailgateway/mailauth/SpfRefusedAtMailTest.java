package dev.mailgateway.mailauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operator who wants SPF failures refused before DATA puts {@code mail-auth:spf?reject=true} in the policy
 * route: the client hears RFC 7372's codes at MAIL FROM.
 */
class SpfRefusedAtMailTest {

    private static DnsServer dns;
    private static TestListener listener;

    @BeforeAll
    static void start() throws Exception {
        dns = DnsServer.start();
        dns.txt("pass.test", "v=spf1 ip4:127.0.0.0/8 -all").txt("fail.test", "v=spf1 -all")
                .servfail("temp.test", 100000);
        listener = TestListener.start(new RouteBuilder() {
            @Override
            public void configure() {
                MailAuthComponent auth = getContext().getComponent("mail-auth", MailAuthComponent.class);
                auth.setDnsServer(dns.address());
                auth.setHostname("gw.test");
                from(TestListener.uri("trustedNetworks=192.0.2.0/24&policyUri=direct:policy")).routeId("smtpd")
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
                from("direct:policy").to("mail-auth:spf?reject=true");
            }
        });
    }

    @AfterAll
    static void stop() {
        if (listener != null) {
            listener.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    private static String mailFrom(String sender) throws Exception {
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            return client.command("MAIL FROM:<" + sender + ">", "");
        }
    }

    @Test
    void anSpfFailIsRefusedWithTheDomainsExplanation() throws Exception {
        assertThat(mailFrom("someone@fail.test")).isEqualTo("550 5.7.23 SPF validation failed for fail.test: "
                + "fail.test does not designate 127.0.0.1 as permitted sender");
    }

    @Test
    void aDnsFailureIsATemporaryRefusal() throws Exception {
        assertThat(mailFrom("someone@temp.test"))
                .isEqualTo("451 4.7.24 SPF validation error for temp.test, try again later");
    }

    @Test
    void aPassIsAccepted() throws Exception {
        assertThat(mailFrom("someone@pass.test")).startsWith("250");
    }
}
