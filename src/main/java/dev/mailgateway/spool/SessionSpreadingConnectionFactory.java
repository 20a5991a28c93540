package dev.mailgateway.spool;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives each session its own pooled connection, so concurrent consumers and senders do not take turns.
 *
 * <p>A JMS listener container (Spring's, under every {@code jms:} consumer route) opens one connection and creates
 * all its consumers' sessions on it. An ActiveMQ connection runs its commands one at a time (its transport holds a
 * lock per command). On the embedded broker's in-JVM transport, the broker's work runs inside that lock too: a
 * transacted consumer's commit, which waits for the journal's disk sync. So the twenty consumers of
 * {@code mail.relay} took turns at one lock. They waited there most of the time (a wall-clock profile of a bench
 * run), and delivery fell behind acceptance.
 *
 * <p>The connections this factory makes hand each new session to the next of up to {@code spread} connections taken
 * from the pool. Commits and acknowledgements on different connections run side by side, and the journal writes
 * their syncs together. Everything else a connection does (start, exception listener, close) applies to all of
 * them. A connection used for a single session (a send through a JmsTemplate) takes one connection from the pool,
 * exactly as before.
 */
public final class SessionSpreadingConnectionFactory implements ConnectionFactory {

    private final ConnectionFactory pool;
    private final int spread;

    /** @param pool the pooled factory (its connections are shared); @param spread connections per connection made */
    public SessionSpreadingConnectionFactory(ConnectionFactory pool, int spread) {
        if (spread < 1) {
            throw new IllegalArgumentException("spread must be at least 1, not " + spread);
        }
        this.pool = pool;
        this.spread = spread;
    }

    /** The pooled factory underneath. */
    public ConnectionFactory pool() {
        return pool;
    }

    @Override
    public Connection createConnection() {
        return new SpreadConnection(null, null);
    }

    @Override
    public Connection createConnection(String userName, String password) {
        return new SpreadConnection(userName, password);
    }

    @Override
    public JMSContext createContext() {
        return pool.createContext();
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return pool.createContext(userName, password);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        return pool.createContext(userName, password, sessionMode);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return pool.createContext(sessionMode);
    }

    /**
     * One connection to its user, up to {@code spread} underneath, taken from the pool as sessions need them. The
     * state a caller sets (started, exception listener) is kept here and given to each connection as it is taken.
     */
    private final class SpreadConnection implements Connection {

        private final String userName;
        private final String password;
        private final List<Connection> connections = new ArrayList<>();
        private int next;
        private boolean started;
        private boolean closed;
        private ExceptionListener exceptionListener;

        SpreadConnection(String userName, String password) {
            this.userName = userName;
            this.password = password;
        }

        /** The connection for the next session: a new one while there are fewer than spread, then each in turn. */
        private synchronized Connection nextConnection() throws JMSException {
            if (closed) {
                throw new IllegalStateException("connection closed");
            }
            if (connections.size() < spread) {
                Connection taken = userName == null ? pool.createConnection()
                        : pool.createConnection(userName, password);
                try {
                    if (exceptionListener != null) {
                        taken.setExceptionListener(exceptionListener);
                    }
                    if (started) {
                        taken.start();
                    }
                } catch (JMSException | RuntimeException e) {
                    taken.close();
                    throw e;
                }
                connections.add(taken);
                return taken;
            }
            Connection taken = connections.get(next);
            next = (next + 1) % connections.size();
            return taken;
        }

        /** The first connection, taken when there is none yet: for what is the same on all of them. */
        private synchronized Connection first() throws JMSException {
            return connections.isEmpty() ? nextConnection() : connections.get(0);
        }

        @Override
        public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
            return nextConnection().createSession(transacted, acknowledgeMode);
        }

        @Override
        public Session createSession(int sessionMode) throws JMSException {
            return nextConnection().createSession(sessionMode);
        }

        @Override
        public Session createSession() throws JMSException {
            return nextConnection().createSession();
        }

        @Override
        public synchronized void start() throws JMSException {
            started = true;
            for (Connection connection : connections) {
                connection.start();
            }
        }

        @Override
        public synchronized void stop() throws JMSException {
            started = false;
            for (Connection connection : connections) {
                connection.stop();
            }
        }

        @Override
        public void close() throws JMSException {
            List<Connection> taken;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                taken = new ArrayList<>(connections);
                connections.clear();
            }
            JMSException failed = null;
            for (Connection connection : taken) { // every one goes back to the pool, whatever one of them says
                try {
                    connection.close();
                } catch (JMSException e) {
                    failed = failed == null ? e : failed;
                }
            }
            if (failed != null) {
                throw failed;
            }
        }

        @Override
        public synchronized ExceptionListener getExceptionListener() {
            return exceptionListener;
        }

        @Override
        public synchronized void setExceptionListener(ExceptionListener listener) throws JMSException {
            exceptionListener = listener;
            for (Connection connection : connections) {
                connection.setExceptionListener(listener);
            }
        }

        @Override
        public String getClientID() throws JMSException {
            return first().getClientID();
        }

        /** A client ID names one connection; the spool uses none (no durable subscriptions). */
        @Override
        public void setClientID(String clientID) throws JMSException {
            throw new IllegalStateException("the spool's connections take no client ID");
        }

        @Override
        public ConnectionMetaData getMetaData() throws JMSException {
            return first().getMetaData();
        }

        @Override
        public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
                ServerSessionPool sessionPool, int maxMessages) throws JMSException {
            return nextConnection().createConnectionConsumer(destination, messageSelector, sessionPool, maxMessages);
        }

        @Override
        public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
                String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
            return nextConnection().createSharedConnectionConsumer(topic, subscriptionName, messageSelector,
                    sessionPool, maxMessages);
        }

        @Override
        public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
                String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
            return nextConnection().createDurableConnectionConsumer(topic, subscriptionName, messageSelector,
                    sessionPool, maxMessages);
        }

        @Override
        public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
                String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
            return nextConnection().createSharedDurableConnectionConsumer(topic, subscriptionName, messageSelector,
                    sessionPool, maxMessages);
        }
    }
}
