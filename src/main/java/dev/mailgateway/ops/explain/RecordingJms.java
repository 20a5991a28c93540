package dev.mailgateway.ops.explain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * Stands in for the {@code jms} component while explaining: a send is written down (queue, headers, bytes) instead
 * of reaching any broker, so the routes run as shipped up to the spool and nothing is queued. Consumers never get
 * anything. Options of the real component's endpoints (transacted, concurrentConsumers, ...) are accepted and
 * ignored.
 */
final class RecordingJms extends DefaultComponent {

    /** One send: the endpoint's path ({@code queue:mail.spool}), the message's headers and bytes. */
    record Sent(String destination, Map<String, Object> headers, byte[] body) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    /** Set from {@code camel.component.jms.connection-factory}; never used. */
    private Object connectionFactory;

    List<Sent> sent() {
        return sent;
    }

    public Object getConnectionFactory() {
        return connectionFactory;
    }

    public void setConnectionFactory(Object connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        parameters.clear();
        return new Destination(uri, this, remaining);
    }

    private final class Destination extends DefaultEndpoint {

        private final String name;

        Destination(String uri, RecordingJms component, String name) {
            super(uri, component);
            this.name = name;
        }

        @Override
        public boolean isLenientProperties() {
            return true;
        }

        @Override
        public Producer createProducer() {
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) {
                    byte[] body = exchange.getMessage().getBody(byte[].class);
                    org.apache.camel.support.MessageHelper.resetStreamCache(exchange.getMessage());
                    sent.add(new Sent(name, new LinkedHashMap<>(exchange.getMessage().getHeaders()), body));
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            return new DefaultConsumer(this, processor);
        }
    }
}
