package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.fanout.MailEventComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.ObjectHelper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A misspelt endpoint option stops the start with Camel's own error naming it, rather than being ignored (a
 * listener with the default port, or a relay with no TLS policy, would otherwise run as if it were not there).
 */
class UnknownOptionsTest {

    @ParameterizedTest
    @CsvSource({
        "smtpd:x?prot=0, prot",
        "smtpd:x?port=0&tlss=none, tlss",
        "smtp-relay:out?tlss=none, tlss",
        "mail-policy:dnsbl?rejct=true, rejct",
        "mail-auth:spf?rejectt=true, rejectt",
        "mail-filter:verdict?rejectScore=10&tagscor=5, tagscor",
        "mail-edit:header?remov=X-Internal, remov",
        "mail-event:copy?queu=mail.copies, queu",
    })
    void aMisspeltOptionFailsTheStartNamingIt(String uri, String option) {
        CamelContext context = new DefaultCamelContext();
        MailEventComponent events = new MailEventComponent();
        events.setPublish(false); // publishing needs the spool's broker, not what this test is about
        context.addComponent("mail-event", events);
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    if (uri.startsWith("smtpd:")) {
                        from(uri).to("log:x");
                    } else {
                        from("direct:in").to(uri);
                    }
                }
            });
            assertThatThrownBy(context::start).satisfies(e -> {
                ResolveEndpointFailedException failure = ObjectHelper.getException(ResolveEndpointFailedException.class, e);
                assertThat(failure).isNotNull();
                assertThat(failure.getMessage()).contains("Unknown parameters=[{" + option + "=");
            });
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            context.stop();
        }
    }
}
