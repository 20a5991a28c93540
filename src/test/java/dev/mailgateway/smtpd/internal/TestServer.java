package dev.mailgateway.smtpd.internal;

import dev.mailgateway.policy.NetworkList;
import dev.mailgateway.policy.PolicyChain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One {@link SmtpServer} on a free loopback port, with default settings and the test's own {@link MessageDelivery}:
 * for tests that need the listener to meet something the Camel consumer never does.
 */
final class TestServer implements AutoCloseable {

    static final String HOSTNAME = "mx.gateway.test";

    private final EventLoops loops = new EventLoops(1);
    private final SmtpServer server;
    private final int port;

    private TestServer(MessageDelivery delivery) throws InterruptedException {
        server = new SmtpServer(settings(), delivery, loops,
                new ListenerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), "test"));
        port = server.bind("127.0.0.1", 0).getPort();
    }

    static TestServer start(MessageDelivery delivery) throws InterruptedException {
        return new TestServer(delivery);
    }

    /** What the smtpd endpoint's defaults make of a listener, small messages in memory. */
    static ListenerSettings settings() {
        return new ListenerSettings("test", HOSTNAME, 25L * 1024 * 1024, 100, 2048, 20,
                new TimeLimits(Duration.ofMinutes(5), Duration.ofSeconds(10), 500, Duration.ofMinutes(30)),
                Duration.ZERO, NetworkList.parse("127.0.0.0/8"), BareLineEndings.REJECT, 1000, 50,
                new PolicyChain(List.of()), HostReplies.forHost(HOSTNAME, 25L * 1024 * 1024, true), ServerTls.NONE,
                AuthSettings.NONE,
                new SpillSettings(Path.of("target/test-spill"), 1 << 20, 4 * 64 * 1024, Runnable::run),
                NetworkList.parse(""));
    }

    int port() {
        return port;
    }

    SmtpServer server() {
        return server;
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdown(Duration.ofSeconds(5));
        loops.shutdown();
    }
}
