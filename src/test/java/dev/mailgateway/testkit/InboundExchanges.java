package dev.mailgateway.testkit;

import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.smtpd.SmtpdEndpoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * The exchange headers each message had when the listener's route finished with it (verdict, score, reasons,
 * quarantine, copies...), by the client's address and port: a test sends one message per session, so that is its
 * key, and it is known before the reply (a refused message has no queue id in its reply). Bound in the registry
 * before the gateway starts, which Camel Main adds to its event notifiers.
 */
final class InboundExchanges extends EventNotifierSupport {

    static final String BEAN = "routeTestKitInbound";

    private final Map<String, Map<String, Object>> finished = new ConcurrentHashMap<>();

    InboundExchanges() {
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    static String key(String address, int port) {
        return address + ":" + port;
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent)) {
            return;
        }
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        if (!(exchange.getFromEndpoint() instanceof SmtpdEndpoint)) {
            return;
        }
        String address = exchange.getMessage().getHeader(SmtpdConstants.CLIENT_ADDRESS, String.class);
        Integer port = exchange.getMessage().getHeader(SmtpdConstants.CLIENT_PORT, Integer.class);
        if (address != null && port != null) {
            // a copy: the listener may reuse or clear the exchange once it has answered
            finished.put(key(address, port), Map.copyOf(withoutNulls(exchange.getMessage().getHeaders())));
        }
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> headers) {
        Map<String, Object> copy = new java.util.HashMap<>();
        headers.forEach((name, value) -> {
            if (value != null) {
                copy.put(name, value);
            }
        });
        return copy;
    }

    /** The headers of the message of this session, or null while the route has not finished with it. */
    Map<String, Object> of(String address, int port) {
        return finished.get(key(address, port));
    }
}
