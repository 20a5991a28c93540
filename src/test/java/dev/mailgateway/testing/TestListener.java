package dev.mailgateway.testing;

import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.smtpd.SmtpdConsumer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A Camel context with one smtpd listener on a free port. The default route keeps every exchange it gets and
 * marks it taken; tests that need other routes pass their own builder, whose smtpd route must have the id
 * {@code smtpd}.
 */
public final class TestListener implements AutoCloseable {

    /** Set by the default route: the name of the thread the route ran on. */
    public static final String ROUTE_THREAD = "TestRouteThread";

    private final CamelContext context;
    private final List<Exchange> received = new CopyOnWriteArrayList<>();

    private TestListener(CamelContext context) {
        this.context = context;
    }

    /** A listener {@code smtpd:test?port=0&<options>} whose route takes every message. */
    public static TestListener start(String options) throws Exception {
        TestListener listener = new TestListener(new DefaultCamelContext());
        listener.context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(options)).routeId("smtpd")
                        .process(e -> {
                            e.getMessage().setHeader(ROUTE_THREAD, Thread.currentThread().getName());
                            listener.received.add(e.copy());
                        })
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
            }
        });
        listener.context.start();
        return listener;
    }

    /** A listener with the test's own routes. */
    public static TestListener start(RouteBuilder routes) throws Exception {
        TestListener listener = new TestListener(new DefaultCamelContext());
        listener.context.addRoutes(routes);
        listener.context.start();
        return listener;
    }

    /**
     * The URI of a test listener: on a free port, named mx.gateway.test, with these options laid over the
     * defaults (a key given twice would be a list in Camel, so each appears once).
     */
    public static String uri(String options) {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put("port", "0");
        all.put("hostname", "mx.gateway.test");
        all.put("tlsSelfSignedDirectory", "target/test-tls");
        for (String pair : options.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                all.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        StringBuilder uri = new StringBuilder("smtpd:test?");
        all.forEach((k, v) -> uri.append(uri.charAt(uri.length() - 1) == '?' ? "" : "&").append(k).append('=').append(v));
        return uri.toString();
    }

    public int port() {
        return ((SmtpdConsumer) context.getRoute("smtpd").getConsumer()).getLocalAddress().getPort();
    }

    public List<Exchange> received() {
        return received;
    }

    public CamelContext context() {
        return context;
    }

    @Override
    public void close() {
        context.stop();
    }
}
