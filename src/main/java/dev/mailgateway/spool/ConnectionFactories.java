package dev.mailgateway.spool;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQPrefetchPolicy;
import org.apache.activemq.RedeliveryPolicy;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/**
 * The JMS connection factory: ActiveMQ with every send synchronous (a send returns once the broker has it on
 * disk), bounded send and connect waits (ActiveMQ waits forever by default, and a client must hear 451, not
 * silence), queue consumers that pull (prefetch 0: a consumer busy with a slow delivery never has a second message
 * parked behind it, which a transacted consumer with prefetch 1 gets by ActiveMQ's prefetch extension),
 * and JMS redelivery only for infrastructure faults. Pooled (pooled-jms) with many connections: a connection runs
 * its commands one at a time, so concurrent senders on separate connections share disk syncs.
 */
public final class ConnectionFactories {

    private ConnectionFactories() {
    }

    public static ActiveMQConnectionFactory activeMq(SpoolSettings settings) {
        String url = settings.embedded() ? EmbeddedBroker.vmUrl(settings) : boundedFailover(settings);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        if (settings.username() != null && !settings.username().isBlank()) {
            factory.setUserName(settings.username());
            factory.setPassword(settings.password());
        }
        factory.setAlwaysSyncSend(true);
        factory.setUseAsyncSend(false);
        int timeout = (int) settings.sendTimeout().toMillis();
        factory.setSendTimeout(timeout);
        factory.setConnectResponseTimeout(timeout);
        factory.setCloseTimeout(timeout);
        factory.setWatchTopicAdvisories(false);
        factory.setTrustAllPackages(false);
        ActiveMQPrefetchPolicy prefetch = new ActiveMQPrefetchPolicy();
        prefetch.setAll(1);
        prefetch.setQueuePrefetch(0);
        factory.setPrefetchPolicy(prefetch);
        RedeliveryPolicy redelivery = new RedeliveryPolicy();
        redelivery.setInitialRedeliveryDelay(1000);
        redelivery.setRedeliveryDelay(1000);
        redelivery.setUseExponentialBackOff(true);
        redelivery.setBackOffMultiplier(4);
        redelivery.setMaximumRedeliveryDelay(300_000);
        redelivery.setMaximumRedeliveries(6); // then DLQ.<queue>: an operator looks at it
        factory.setRedeliveryPolicy(redelivery);
        return factory;
    }

    /**
     * ActiveMQ's failover transport waits for the broker for ever by default, in two places: a send on a
     * connection whose broker went away ({@code timeout} bounds it, here by the send timeout, so the client hears
     * 451), and the first connect of a new connection ({@code startupMaxReconnectAttempts}; the connection pool and
     * the listener containers open new connections while the broker is away, and without a bound they, and the
     * gateway's shutdown with them, hang). Options the operator's URL sets itself are left alone.
     */
    static String boundedFailover(SpoolSettings settings) {
        String url = settings.brokerUrl().trim();
        if (!url.startsWith("failover:")) {
            return url;
        }
        if (!url.matches(".*[?&]timeout=.*")) {
            url += (url.contains("?") ? "&" : "?") + "timeout=" + settings.sendTimeout().toMillis();
        }
        if (!url.matches(".*[?&]startupMaxReconnectAttempts=.*")) {
            url += "&startupMaxReconnectAttempts=3";
        }
        return url;
    }

    public static JmsPoolConnectionFactory pooled(ActiveMQConnectionFactory factory, int maxConnections) {
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(factory);
        pool.setMaxConnections(maxConnections);
        pool.setMaxSessionsPerConnection(100);
        pool.setBlockIfSessionPoolIsFull(true);
        pool.setBlockIfSessionPoolIsFullTimeout(-1);
        return pool;
    }
}
