package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What goes wrong unexpectedly in the listener reaches the consumer's ExceptionHandler (the endpoint's
 * {@code exceptionHandler} option, or Camel's logging one), as in Camel's own components; the client still hears
 * its 451.
 */
class ConsumerExceptionHandlerTest {

    private final CamelContext context = new DefaultCamelContext();
    private final List<String> handled = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void aPolicyRouteThatCannotBeCalledGoesToTheExceptionHandlerAndTheClientGets451() throws Exception {
        context.getRegistry().bind("errors", new Recorder());
        context.addEndpoint("stub:policy", new ThrowingPolicyEndpoint());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(TestListener.uri("policyUri=stub:policy&exceptionHandler=#errors")).routeId("smtpd")
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
            }
        });
        context.start();
        int port = ((SmtpdConsumer) context.getRoute("smtpd").getConsumer()).getLocalAddress().getPort();
        try (SmtpClient client = SmtpClient.ehlo(port)) {
            client.command("MAIL FROM:<a@src.test>", "250 ");
            client.command("RCPT TO:<b@dest.test>", "451 4.3.5 Server configuration problem");
        }
        assertThat(handled).singleElement().satisfies(line -> assertThat(line)
                .contains("policy route").contains("could not be called")
                .contains("IllegalStateException: the policy producer broke"));
    }

    private final class Recorder implements ExceptionHandler {
        @Override
        public void handleException(Throwable exception) {
            handleException(null, null, exception);
        }

        @Override
        public void handleException(String message, Throwable exception) {
            handleException(message, null, exception);
        }

        @Override
        public void handleException(String message, Exchange exchange, Throwable exception) {
            handled.add(message + ": " + exception);
        }
    }

    /** A policy endpoint whose producer throws instead of answering, at RCPT (a bug, not a refusal). */
    private final class ThrowingPolicyEndpoint extends DefaultEndpoint {
        ThrowingPolicyEndpoint() {
            super("stub:policy", null);
            setCamelContext(context);
        }

        @Override
        public Producer createProducer() {
            return new DefaultAsyncProducer(this) {
                @Override
                public boolean process(Exchange exchange, AsyncCallback callback) {
                    if ("RCPT".equals(exchange.getMessage().getHeader(SmtpdConstants.STAGE))) {
                        throw new IllegalStateException("the policy producer broke");
                    }
                    callback.done(true);
                    return true;
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException();
        }
    }
}
