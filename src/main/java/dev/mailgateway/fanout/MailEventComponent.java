package dev.mailgateway.fanout;

import dev.mailgateway.ops.ThrottledWarnings;
import dev.mailgateway.spool.Queues;
import dev.mailgateway.spool.SessionSpreadingConnectionFactory;
import dev.mailgateway.spool.Spool;
import jakarta.jms.ConnectionFactory;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mail-event} component: what the gateway tells other systems, as route steps. {@code accepted} and
 * {@code delivery} publish JSON events on the virtual topic VirtualTopic.mail.events (never slowing mail: see
 * {@link EventPublisher}); {@code copy} and {@code archive} mark a message before the spool send, so that the
 * spool's one send also fills mail.copies and mail.archive, whose transacted routes do the rest.
 */
@org.apache.camel.spi.annotations.Component("mail-event")
public class MailEventComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(MailEventComponent.class);

    @Metadata(description = "Default options of every block")
    private MailEventConfiguration configuration = new MailEventConfiguration();
    // not "enabled": Camel Main takes camel.component.<name>.enabled=false as "leave this component unconfigured"
    @Metadata(defaultValue = "true", description = "Publish events (gateway.events.enabled); off: the accepted and"
            + " delivery blocks do nothing (copies and the archive work either way)")
    private boolean publish = true;
    @Metadata(defaultValue = "10000", description = "Events that may wait for the broker; more are dropped")
    private int bufferSize = 10_000;
    @Metadata(description = "The broker; default: the spool's connection factory (a connection of its own is"
            + " taken from it, not one of the pool's)")
    private ConnectionFactory connectionFactory;

    private final ThrottledWarnings warnings = new ThrottledWarnings(LOG, Duration.ofMinutes(1));
    private EventPublisher publisher;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MailEventConfiguration config = configuration.copy();
        setProperties(config, parameters);
        MailEventEndpoint endpoint = new MailEventEndpoint(uri, this, MailEventEndpoint.Block.named(remaining),
                config);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (!publish) {
            return;
        }
        if (bufferSize < 1) {
            throw new IllegalArgumentException("gateway.events.buffer must be at least 1, not " + bufferSize);
        }
        ConnectionFactory factory = connectionFactory != null ? connectionFactory
                : getCamelContext().getRegistry().lookupByNameAndType(Spool.CONNECTION_FACTORY, ConnectionFactory.class);
        if (factory == null) {
            throw new IllegalStateException("mail events need the spool's broker: no " + Spool.CONNECTION_FACTORY);
        }
        publisher = new EventPublisher(unpooled(factory), Queues.EVENTS, bufferSize);
        publisher.start();
    }

    /** The pool's own factory: the publisher holds its connection for good, which a pooled one must not be. */
    private static ConnectionFactory unpooled(ConnectionFactory factory) {
        if (factory instanceof SessionSpreadingConnectionFactory spreading) {
            return unpooled(spreading.pool());
        }
        if (factory instanceof JmsPoolConnectionFactory pool && pool.getConnectionFactory() instanceof ConnectionFactory
                inner) {
            return inner;
        }
        return factory;
    }

    @Override
    protected void doStop() throws Exception {
        if (publisher != null) {
            publisher.stop(Duration.ofSeconds(2));
            LOG.info("mail events: {} published, {} dropped", publisher.published(), publisher.dropped());
            publisher = null;
        }
        super.doStop();
    }

    /**
     * Offers an event to the publisher (nothing when events are off). Never throws, never blocks: a problem in
     * making the event (a bug) costs the event, never the message.
     */
    void publish(String type, String queueId, Supplier<Object> event) {
        EventPublisher current = publisher;
        if (current == null) {
            return;
        }
        try {
            current.offer(type, queueId, EventJson.write(event.get()));
        } catch (RuntimeException e) {
            current.lost();
            warnings.warn("write", "mail events: a {} event could not be made ({}): dropped", type, e.toString());
        }
    }

    boolean publishing() {
        return publisher != null;
    }

    /** Events the broker took so far. */
    public long eventsPublished() {
        EventPublisher current = publisher;
        return current == null ? 0 : current.published();
    }

    /** Events dropped so far: the buffer was full, or the broker refused them. */
    public long eventsDropped() {
        EventPublisher current = publisher;
        return current == null ? 0 : current.dropped();
    }

    public MailEventConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(MailEventConfiguration configuration) {
        this.configuration = configuration;
    }

    public boolean isPublish() {
        return publish;
    }

    public void setPublish(boolean publish) {
        this.publish = publish;
    }

    public int getBufferSize() {
        return bufferSize;
    }

    public void setBufferSize(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    public ConnectionFactory getConnectionFactory() {
        return connectionFactory;
    }

    public void setConnectionFactory(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }
}
