package dev.mailgateway.testkit;

import static dev.mailgateway.testkit.RouteTestKit.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testkit.Outcome.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An operator's own rule under test: the README recipe "Route invoices to a queue" as routes/rules.yaml, the other
 * routes as shipped. Mail to invoices@ is delivered and copied to erp.invoices; other mail is not copied.
 */
class ExampleOwnRuleTests {

    @RegisterExtension
    static RouteTestKit gateway = RouteTestKit.shippedRoutes().relayDomains("example.com")
            .routeFile("rules.yaml", """
                    - route:
                        id: rules
                        from:
                          uri: direct:rules
                          steps:
                            - to:
                                uri: mail-event:copy
                                parameters:
                                  queue: erp.invoices
                                  recipients: "invoices@example.com"
                    """);

    @Test
    void anInvoiceIsCopiedToTheErpQueueAndStillDelivered() throws Exception {
        Outcome outcome = gateway.message(sample("invoice.eml")).send();

        assertThat(outcome.decision()).isEqualTo(Decision.ACCEPTED);
        assertThat(outcome.delivered().recipients()).containsExactly("invoices@example.com");
        List<Copy> copies = outcome.copies("erp.invoices");
        assertThat(copies).hasSize(1);
        assertThat(copies.get(0).sender()).isEqualTo("billing@supplier.example");
        assertThat(copies.get(0).recipients()).containsExactly("invoices@example.com");
        assertThat(copies.get(0).text()).contains("Subject: Invoice 2026-0042");
    }

    @Test
    void otherMailIsNotCopied() throws Exception {
        Outcome outcome = gateway.message(sample("plain.eml")).send();

        assertThat(outcome.delivered().recipients()).containsExactly("bob@example.com");
        assertThat(outcome.copies("erp.invoices")).isEmpty();
    }
}
