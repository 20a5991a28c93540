package dev.mailgateway.spool;

import dev.mailgateway.ops.GatewayMetrics;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the spool into a Camel context before it starts: the embedded broker (unless an external one is
 * configured) and the pooled connection factory, bound as {@code jmsConnectionFactory} for the jms component
 * (with each session of a connection on a pooled connection of its own: {@link SessionSpreadingConnectionFactory}).
 * Both are context services, so they start before the routes and stop after them, the broker last.
 */
public final class Spool {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    public static final String CONNECTION_FACTORY = "jmsConnectionFactory";

    private Spool() {
    }

    public static JmsPoolConnectionFactory install(CamelContext context, SpoolSettings configured) throws Exception {
        SpoolSettings settings = configured.embedded() ? configured.withEmbeddedCredentials() : configured;
        if (settings.embedded()) {
            EmbeddedBroker broker = new EmbeddedBroker(settings);
            context.addService(broker, true, true);
            QueueDepths.register(GatewayMetrics.registry(context), broker::broker);
        } else {
            LOG.info("spool on the external broker {}", settings.brokerUrl());
        }
        ActiveMQConnectionFactory activeMq = ConnectionFactories.activeMq(settings);
        JmsPoolConnectionFactory pooled = ConnectionFactories.pooled(activeMq, settings.maxConnections());
        if (!settings.embedded()) {
            QueueDepths.registerExternal(GatewayMetrics.registry(context), pooled);
        }
        context.addService(new PoolService(pooled, settings.embedded() ? null : activeMq, settings.brokerUrl()), true, true);
        // consumers' sessions spread over the pool's connections as senders' already are (see the class)
        context.getRegistry().bind(CONNECTION_FACTORY,
                new SessionSpreadingConnectionFactory(pooled, settings.maxConnections()));
        return pooled;
    }

    /**
     * Starts the pool, checks that an external broker has scheduler support (the embedded one does), and stops
     * the pool (closing its connections) before the broker goes.
     */
    private record PoolService(JmsPoolConnectionFactory pool, ActiveMQConnectionFactory external, String url)
            implements Service {
        @Override
        public void start() {
            pool.start();
            if (external != null) {
                try {
                    SchedulerCheck.verify(external, url);
                } catch (jakarta.jms.JMSException e) {
                    LOG.warn("could not check the broker {} for scheduler support yet: {}", url, e.toString());
                }
            }
        }

        @Override
        public void stop() {
            pool.stop();
        }
    }
}
