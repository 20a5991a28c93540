package dev.mailgateway.testing;

import dev.mailgateway.spool.AdminAccess;
import dev.mailgateway.spool.EmbeddedBroker;
import dev.mailgateway.spool.SpoolSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.Connection;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.command.ActiveMQQueue;

/**
 * A stand-alone ActiveMQ broker on a loopback port, configured as the gateway expects an external broker to be
 * (config/activemq.xml): KahaDB, scheduler, spool fan-out, a user and password ({@link #credentials()}). It can be
 * stopped and started again on the same store and port, as an operator restarts a broker.
 */
public final class TestBroker implements AutoCloseable {

    private static final String USERNAME = "gateway";

    private final Path directory;
    private final int port;
    private final String password = AdminAccess.newPassword();
    private BrokerService broker;

    private TestBroker(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    public static TestBroker start(Path directory) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TestBroker broker = new TestBroker(directory, port);
        broker.start();
        return broker;
    }

    public void start() throws Exception {
        SpoolSettings settings = new SpoolSettings("", directory, "tcp://127.0.0.1:" + port, false,
                Duration.ofSeconds(10), 32L * 1024 * 1024, 16, USERNAME, password);
        broker = EmbeddedBroker.configure(new BrokerService(), settings, "test-broker-" + port);
        broker.start();
        broker.waitUntilStarted();
    }

    public void stop() throws Exception {
        if (broker != null) {
            broker.stop();
            broker.waitUntilStopped();
            broker = null;
        }
    }

    /** The gateway settings that let it in: gateway.broker.username and gateway.broker.password. */
    public Map<String, String> credentials() {
        return Map.of("gateway.broker.username", USERNAME, "gateway.broker.password", password);
    }

    /** A failover URL that reconnects quickly, as a gateway's gateway.broker.url. */
    public String url() {
        return "failover:(tcp://127.0.0.1:" + port + ")?initialReconnectDelay=100&maxReconnectDelay=1000";
    }

    /** The broker's address without failover: a gateway on it sees a cut connection fail instead of resuming it. */
    public String tcpUrl() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Consumers the broker has on the queue now. */
    public int consumers(String queue) throws Exception {
        return broker.getDestination(new ActiveMQQueue(queue)).getConsumers().size();
    }

    /**
     * Cuts the connection of one of the queue's consumers from the broker's side, as a firewall that drops one idle
     * TCP connection does; every other connection stays up. Returns the broker's side of the cut connection (a
     * client that reconnects gets a new one).
     */
    public Connection cutOneConsumerConnection(String queue) throws Exception {
        Destination destination = broker.getDestination(new ActiveMQQueue(queue));
        Connection connection = destination.getConsumers().get(0).getContext().getConnection();
        connection.serviceExceptionAsync(new IOException("cut by the test"));
        return connection;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
