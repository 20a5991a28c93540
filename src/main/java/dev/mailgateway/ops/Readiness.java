package dev.mailgateway.ops;

import dev.mailgateway.smtpd.SmtpdConsumer;
import dev.mailgateway.spool.Spool;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * Whether the gateway can take mail now: every listener that is to run is bound, the broker takes a session, and
 * the Redis and spam engines it is configured with accept a connection. Each check has a short timeout and says
 * what it saw; none waits longer than {@link #TIMEOUT}. A load balancer or orchestrator stops sending clients
 * while one fails (a gateway whose broker is away answers 451 to every message).
 */
public final class Readiness implements AutoCloseable {

    /** One check's result. */
    public record Check(boolean up, String detail) {
    }

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final CamelContext context;
    private final ExecutorService probes = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "admin-broker-probe");
        thread.setDaemon(true);
        return thread;
    });

    public Readiness(CamelContext context) {
        this.context = context;
    }

    /** The process runs and its Camel context is starting or started: restart it when this fails. */
    public boolean live() {
        ServiceStatus status = context.getStatus();
        return status.isStarting() || status.isStarted();
    }

    /** Every check by name, in a stable order. */
    public Map<String, Check> checks() {
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("listeners", listeners());
        checks.put("broker", broker());
        String redis = property("gateway.state.redis");
        if (!redis.isEmpty()) {
            checks.put("redis", reachable(URI.create(redis).getHost(), port(URI.create(redis), 6379)));
        }
        String rspamd = property("gateway.spam.rspamd.url");
        if (!rspamd.isEmpty()) {
            checks.put("rspamd", reachable(URI.create(rspamd).getHost(), port(URI.create(rspamd), 11333)));
        }
        String spamd = property("gateway.spam.spamd.address");
        if (!spamd.isEmpty()) {
            URI address = URI.create("tcp://" + spamd);
            checks.put("spamd", reachable(address.getHost(), port(address, 783)));
        }
        return checks;
    }

    private Check listeners() {
        if (!context.getStatus().isStarted()) {
            return new Check(false, "starting");
        }
        List<String> bound = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            if (route.getConsumer() instanceof SmtpdConsumer listener) {
                ServiceStatus status = context.getRouteController().getRouteStatus(route.getId());
                InetSocketAddress address = listener.getLocalAddress();
                if (status != null && status.isStarted() && address != null) {
                    bound.add(route.getId() + " " + address.getHostString() + ":" + address.getPort());
                } else if (route.isAutoStartup()) {
                    return new Check(false, "listener " + route.getId() + " is not listening (" + status + ")");
                }
            }
        }
        return bound.isEmpty() ? new Check(false, "no listener runs") : new Check(true, String.join(", ", bound));
    }

    /**
     * A session on the spool's connection factory, on a thread of its own: with a failover URL the client waits for
     * the broker instead of failing, so the probe is abandoned (and interrupted) after the timeout.
     */
    private Check broker() {
        ConnectionFactory factory = context.getRegistry().lookupByNameAndType(Spool.CONNECTION_FACTORY,
                ConnectionFactory.class);
        if (factory == null) {
            return new Check(false, "no spool connection factory");
        }
        Future<?> probe = probes.submit(() -> {
            try (Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.close();
            }
            return null;
        });
        try {
            probe.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Check(true, "connected");
        } catch (TimeoutException e) {
            probe.cancel(true);
            return new Check(false, "no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            return new Check(false, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(false, "interrupted");
        }
    }

    private static Check reachable(String host, int port) {
        if (host == null) {
            return new Check(false, "no host in the configured address");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
            return new Check(true, host + ":" + port + " accepts connections");
        } catch (IOException e) {
            return new Check(false, host + ":" + port + ": " + e.getMessage());
        }
    }

    private static int port(URI uri, int otherwise) {
        return uri.getPort() > 0 ? uri.getPort() : otherwise;
    }

    private String property(String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse("").strip();
    }

    @Override
    public void close() {
        probes.shutdownNow();
    }
}
