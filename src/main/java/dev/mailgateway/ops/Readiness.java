package dev.mailgateway.ops;

import dev.mailgateway.mail.Printable;
import dev.mailgateway.policy.MailPolicyComponent;
import dev.mailgateway.smtpd.SmtpdConsumer;
import dev.mailgateway.state.PolicyStore;
import dev.mailgateway.spool.Spool;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;

/**
 * Whether the gateway can take mail now: every listener that is to run is bound, the broker takes a session, and
 * the Redis and spam engines it is configured with answer: Redis a PING on the gateway's own connection (so a
 * wrong password or a Redis that hangs shows), Rspamd {@code GET /ping}, spamd {@code PING}; a port that only
 * accepts connections is not enough. Each check has a short timeout and says what it saw; none waits longer than
 * {@link #TIMEOUT}. A load balancer or orchestrator stops sending clients
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
    /**
     * Where the checks that wait for an answer run, side by side. Each ends within its own timeout (the broker's
     * session, which may not, is on {@link #probes}), so the threads are as many as checks asked at once.
     */
    private final ExecutorService askers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "admin-readiness-check");
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

    /**
     * Every check by name, in a stable order. The checks that wait for an answer run side by side, so the
     * answer takes about {@link #TIMEOUT} when everything hangs, not that times the number of checks.
     */
    public Map<String, Check> checks() {
        Map<String, CompletableFuture<Check>> asked = new LinkedHashMap<>();
        asked.put("listeners", CompletableFuture.completedFuture(listeners()));
        asked.put("broker", CompletableFuture.supplyAsync(this::broker, askers));
        String redis = property("gateway.state.redis");
        if (!redis.isEmpty()) {
            asked.put("redis", CompletableFuture.supplyAsync(() -> redis(URI.create(redis)), askers));
        }
        String rspamd = property("gateway.spam.rspamd.url");
        if (!rspamd.isEmpty()) {
            asked.put("rspamd", CompletableFuture.supplyAsync(() -> rspamd(URI.create(rspamd)), askers));
        }
        String spamd = property("gateway.spam.spamd.address");
        if (!spamd.isEmpty()) {
            URI address = URI.create("tcp://" + spamd);
            // the spamc protocol's PING; spamd answers "SPAMD/1.5 0 PONG" and closes
            asked.put("spamd", CompletableFuture.supplyAsync(() -> ask(address.getHost(), port(address, 783),
                    "PING SPAMC/1.5\r\n\r\n", reply -> reply.startsWith("SPAMD/") && reply.contains(" 0 PONG"),
                    "PONG"), askers));
        }
        Map<String, Check> checks = new LinkedHashMap<>();
        asked.forEach((name, check) -> checks.put(name, result(check)));
        return checks;
    }

    /** A check's result: each ends within its own timeout, this only waits for it (with a margin, never for ever). */
    private static Check result(CompletableFuture<Check> check) {
        try {
            return check.get(3 * TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Check(false, "no result within " + 3 * TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            return new Check(false, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(false, "interrupted");
        }
    }

    /** PING on the policy blocks' own Redis connection; only the port when no route uses the policy blocks. */
    private Check redis(URI configured) {
        if (!(context.getComponent("mail-policy", false) instanceof MailPolicyComponent policy)) {
            return reachable(configured.getHost(), port(configured, 6379));
        }
        PolicyStore store = policy.stateStore();
        try {
            String answer = store.ping().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new Check(true, store.describe() + " answers " + answer);
        } catch (TimeoutException e) {
            return new Check(false, store.describe() + ": no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            // (Lettuce's own timeout is the store's, gateway.state.timeout: usually the first to expire)
            Throwable cause = e.getCause();
            return new Check(false, store.describe() + ": "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(false, "interrupted");
        }
    }

    /** Rspamd's workers answer {@code GET /ping} with "pong"; over https only the port is checked. */
    private static Check rspamd(URI url) {
        if (!"http".equalsIgnoreCase(url.getScheme())) {
            return reachable(url.getHost(), port(url, 11333));
        }
        String base = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return ask(url.getHost(), port(url, 11333), "GET " + base + "/ping HTTP/1.0\r\nHost: " + url.getHost()
                + "\r\n\r\n", reply -> reply.matches("(?s)HTTP/1\\.[01] 200 .*") && reply.contains("pong"), "pong");
    }

    /**
     * Sends {@code request} and reads the answer until the server closes (both protocols answer once and close),
     * within {@link #TIMEOUT} in all.
     */
    private static Check ask(String host, int port, String request, Predicate<String> good, String expected) {
        if (host == null) {
            return new Check(false, "no host in the configured address");
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] answer = new byte[4096];
            int length = 0;
            while (length < answer.length) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                socket.setSoTimeout((int) left);
                int n = in.read(answer, length, answer.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
            String reply = new String(answer, 0, length, StandardCharsets.US_ASCII);
            String firstLine = reply.lines().findFirst().orElse("").strip();
            return good.test(reply) ? new Check(true, host + ":" + port + " answers " + expected)
                    : new Check(false, host + ":" + port + " answered \"" + Printable.replyText(firstLine, 80) + "\"");
        } catch (SocketTimeoutException e) {
            return new Check(false, host + ":" + port + ": no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            return new Check(false, host + ":" + port + ": " + e.getMessage());
        }
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
        askers.shutdownNow();
    }
}
