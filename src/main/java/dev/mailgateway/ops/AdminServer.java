package dev.mailgateway.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin port: {@code /metrics} (Prometheus text), {@code /health/live} and {@code /health/ready} (JSON, 200 or
 * 503). The JDK's HTTP server on two threads of its own: a scraper or a probe every few seconds, never the mail
 * path. With a token, every request must carry {@code Authorization: Bearer <token>}. A context service: up before
 * the routes start (live, not yet ready) and down after they stop.
 */
public final class AdminServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    /** Its name in the Camel registry, where tests and the startup log find its port. */
    public static final String BEAN = "adminServer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext context;
    private final String bind;
    private final int port;
    private final byte[] token;
    private HttpServer server;
    private ExecutorService threads;
    private Readiness readiness;

    public AdminServer(CamelContext context, String bind, int port, String token) {
        this.context = context;
        this.bind = bind;
        this.port = port;
        this.token = token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
    }

    /** Adds the admin server to the context unless {@code gateway.admin.port} is negative. */
    public static void install(CamelContext context) throws Exception {
        var properties = context.getPropertiesComponent();
        int port = Integer.parseInt(properties.resolveProperty("gateway.admin.port").orElse("9025").strip());
        if (port < 0) {
            return;
        }
        AdminServer admin = new AdminServer(context,
                properties.resolveProperty("gateway.admin.bind").orElse("127.0.0.1").strip(), port,
                properties.resolveProperty("gateway.admin.token").orElse(""));
        context.getRegistry().bind(BEAN, admin);
        context.addService(admin, true, true);
    }

    /** The bound address (its real port when configured with 0); null when not running. */
    public InetSocketAddress address() {
        return server == null ? null : server.getAddress();
    }

    @Override
    protected void doStart() throws Exception {
        readiness = new Readiness(context);
        server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        threads = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "admin-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
        if (token == null && !server.getAddress().getAddress().isLoopbackAddress()) {
            LOG.warn("admin: {} is reachable beyond this machine without a token: set gateway.admin.token, or"
                    + " keep gateway.admin.bind on loopback", bind);
        }
        LOG.info("admin: http://{}:{}/metrics, /health/live, /health/ready{}", bind, server.getAddress().getPort(),
                token == null ? "" : " (bearer token required)");
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (threads != null) {
            threads.shutdownNow();
            threads = null;
        }
        if (readiness != null) {
            readiness.close();
            readiness = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                return;
            }
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                send(exchange, 401, "text/plain; charset=utf-8", "a bearer token is required\n");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/metrics" -> send(exchange, 200, GatewayMetrics.CONTENT_TYPE, GatewayMetrics.of(context).scrape());
                case "/health/live" -> health(exchange, readiness.live(), null);
                case "/health/ready" -> {
                    Map<String, Readiness.Check> checks = readiness.checks();
                    health(exchange, checks.values().stream().allMatch(Readiness.Check::up), checks);
                }
                default -> send(exchange, 404, "text/plain; charset=utf-8",
                        "not found: /metrics, /health/live and /health/ready are served\n");
            }
        } catch (RuntimeException e) {
            LOG.warn("admin: {} failed", exchange.getRequestURI(), e);
        }
    }

    private static void health(HttpExchange exchange, boolean up, Map<String, Readiness.Check> checks)
            throws IOException {
        ObjectNode body = JSON.createObjectNode().put("status", up ? "UP" : "DOWN");
        if (checks != null) {
            ObjectNode each = body.putObject("checks");
            checks.forEach((name, check) -> each.putObject(name).put("status", check.up() ? "UP" : "DOWN")
                    .put("detail", check.detail()));
        }
        send(exchange, up ? 200 : 503, "application/json", JSON.writeValueAsString(body) + "\n");
    }

    /** Constant time, so the token cannot be guessed byte by byte from response times. */
    private boolean authorized(String header) {
        if (token == null) {
            return true;
        }
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
