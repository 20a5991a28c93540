package dev.mailgateway.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQSession;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.command.TransactionId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.messaginghub.pooled.jms.JmsPoolSession;

/**
 * The spool's connections put each session on a pooled connection of its own, so one consumer's commit waiting in
 * the broker (for the journal's disk sync, as on the embedded broker's in-JVM transport) does not hold up the
 * others of the same listener container. A real broker, on the same in-JVM transport the gateway uses.
 */
class SessionSpreadingConnectionFactoryTest {

    /** Far beyond anything here, for a loaded machine. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private BrokerService broker;
    private JmsPoolConnectionFactory pool;
    /** Set: the next commit the broker gets waits in the broker until {@link #release} opens. */
    private final AtomicBoolean holdNextCommit = new AtomicBoolean();
    private final CountDownLatch commitHeld = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void startBroker() throws Exception {
        broker = new BrokerService();
        String name = "spreading-" + System.nanoTime();
        broker.setBrokerName(name);
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setAdvisorySupport(false);
        broker.setPlugins(new BrokerPlugin[] {next -> holdingCommits(next)});
        broker.start();
        broker.waitUntilStarted();
        ActiveMQConnectionFactory activeMq = new ActiveMQConnectionFactory("vm://" + name + "?create=false&async=false");
        activeMq.getPrefetchPolicy().setQueuePrefetch(0); // as the spool's: consumers pull
        pool = ConnectionFactories.pooled(activeMq, 8);
        pool.start();
    }

    @AfterEach
    void stopBroker() throws Exception {
        release.countDown();
        pool.stop();
        broker.stop();
        broker.waitUntilStopped();
    }

    private Broker holdingCommits(Broker next) {
        return new BrokerFilter(next) {
            @Override
            public void commitTransaction(ConnectionContext context, TransactionId xid, boolean onePhase)
                    throws Exception {
                if (holdNextCommit.compareAndSet(true, false)) {
                    commitHeld.countDown();
                    release.await();
                }
                super.commitTransaction(context, xid, onePhase);
            }
        };
    }

    private void send(Queue queue, int count) throws JMSException {
        try (Connection connection = pool.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(queue);
            for (int i = 0; i < count; i++) {
                producer.send(session.createTextMessage("message " + i));
            }
        }
    }

    /** The broker connection a session of ours runs on. */
    private static ActiveMQConnection physical(Session session) throws JMSException {
        return ((ActiveMQSession) ((JmsPoolSession) session).getInternalSession()).getConnection();
    }

    /** Two consumers of one connection each take a message; the first's commit is held; whether the second's ends. */
    private boolean secondCommitEndsWhileFirstIsHeld(int spread) throws Exception {
        Queue queue = new org.apache.activemq.command.ActiveMQQueue("mail.relay");
        send(queue, 2);
        Connection connection = new SessionSpreadingConnectionFactory(pool, spread).createConnection();
        try {
            connection.start();
            Session first = connection.createSession(true, Session.SESSION_TRANSACTED);
            Session second = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer firstConsumer = first.createConsumer(queue);
            MessageConsumer secondConsumer = second.createConsumer(queue);
            assertThat(firstConsumer.receive(PATIENCE.toMillis())).isNotNull();
            assertThat(secondConsumer.receive(PATIENCE.toMillis())).isNotNull();
            holdNextCommit.set(true);
            CompletableFuture<Void> firstCommit = CompletableFuture.runAsync(() -> commit(first));
            assertThat(commitHeld.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the first commit is in the broker")
                    .isTrue();
            CompletableFuture<Void> secondCommit = CompletableFuture.runAsync(() -> commit(second));
            boolean ended;
            if (spread > 1) {
                secondCommit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                ended = true;
            } else {
                // waits for the first one's lock for as long as that is held: any time shows it
                ended = secondCommit.isDone() || awaitQuietly(secondCommit, Duration.ofMillis(500));
            }
            assertThat(firstCommit).isNotDone();
            release.countDown();
            firstCommit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            secondCommit.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(broker.getDestination(new org.apache.activemq.command.ActiveMQQueue("mail.relay"))
                    .getDestinationStatistics().getMessages().getCount()).as("both taken for good").isZero();
            return ended;
        } finally {
            connection.close();
        }
    }

    private static boolean awaitQuietly(CompletableFuture<Void> future, Duration wait) throws Exception {
        try {
            future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static void commit(Session session) {
        try {
            session.commit();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aConsumersCommitWaitingInTheBrokerDoesNotHoldUpAnotherConsumerOfTheSameConnection() throws Exception {
        assertThat(secondCommitEndsWhileFirstIsHeld(4)).isTrue();
    }

    @Test
    void withoutSpreadingTheSecondCommitWaitsForTheFirst() throws Exception {
        // what the factory is for: on one connection, the broker's work for one session holds up the next
        assertThat(secondCommitEndsWhileFirstIsHeld(1)).isFalse();
    }

    @Test
    void sessionsTakeConnectionsInTurnUpToTheSpread() throws Exception {
        Connection connection = new SessionSpreadingConnectionFactory(pool, 3).createConnection();
        try {
            List<ActiveMQConnection> under = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                under.add(physical(connection.createSession(false, Session.AUTO_ACKNOWLEDGE)));
            }
            assertThat(under.subList(0, 3)).doesNotHaveDuplicates();
            assertThat(under.get(3)).isSameAs(under.get(0));
            assertThat(under.get(4)).isSameAs(under.get(1));
        } finally {
            connection.close();
        }
    }

    @Test
    void aConnectionStartedBeforeItsSessionsExistDeliversToThemAll() throws Exception {
        Queue queue = new org.apache.activemq.command.ActiveMQQueue("mail.copies");
        send(queue, 3);
        Connection connection = new SessionSpreadingConnectionFactory(pool, 3).createConnection();
        try {
            connection.start();
            for (int i = 0; i < 3; i++) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Message message = session.createConsumer(queue).receive(PATIENCE.toMillis());
                assertThat(message).as("session %d", i).isNotNull();
            }
        } finally {
            connection.close();
        }
    }

    @Test
    void theExceptionListenerHearsOfEveryConnectionUnderneath() throws Exception {
        Connection connection = new SessionSpreadingConnectionFactory(pool, 2).createConnection();
        CountDownLatch heard = new CountDownLatch(1);
        try {
            connection.setExceptionListener(e -> heard.countDown());
            connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            connection.createSession(false, Session.AUTO_ACKNOWLEDGE); // the second connection, taken after
            broker.stop();
            broker.waitUntilStopped();
            assertThat(heard.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the broker went away").isTrue();
        } finally {
            connection.close();
        }
    }

    @Test
    void aClosedConnectionMakesNoMoreSessions() throws Exception {
        Connection connection = new SessionSpreadingConnectionFactory(pool, 2).createConnection();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        connection.close();
        assertThatThrownBy(() -> session.createQueue("mail.relay")).isInstanceOf(jakarta.jms.IllegalStateException.class);
        assertThatThrownBy(() -> connection.createSession(false, Session.AUTO_ACKNOWLEDGE))
                .isInstanceOf(jakarta.jms.IllegalStateException.class);
    }
}
