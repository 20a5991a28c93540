package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docker/healthcheck.sh, the image's HEALTHCHECK, against a stand-in admin port: healthy on 200 only, and it
 * sends the bearer token when the container has one.
 */
class HealthcheckScriptTest {

    private HttpServer admin;

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.stop(0);
        }
    }

    @Test
    void readyIsHealthy() throws Exception {
        int port = admin(200, null);

        assertThat(healthcheck(Map.of("GATEWAY_ADMIN_PORT", String.valueOf(port)))).isZero();
    }

    @Test
    void notReadyIsUnhealthy() throws Exception {
        int port = admin(503, null);

        assertThat(healthcheck(Map.of("GATEWAY_ADMIN_PORT", String.valueOf(port)))).isNotZero();
    }

    @Test
    void nothingListeningIsUnhealthy() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        assertThat(healthcheck(Map.of("GATEWAY_ADMIN_PORT", String.valueOf(port)))).isNotZero();
    }

    @Test
    void theTokenOfTheEnvironmentIsSent() throws Exception {
        int port = admin(200, "s3cret");

        assertThat(healthcheck(Map.of("GATEWAY_ADMIN_PORT", String.valueOf(port)))).isNotZero();
        assertThat(healthcheck(Map.of("GATEWAY_ADMIN_PORT", String.valueOf(port), "GATEWAY_ADMIN_TOKEN", "s3cret")))
                .isZero();
    }

    /** Answers /health/ready with {@code status}, or 401 without "Bearer token" when a token is given. */
    private int admin(int status, String token) throws IOException {
        admin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        admin.createContext("/health/ready", exchange -> {
            boolean allowed = token == null
                    || ("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{}".getBytes();
            exchange.sendResponseHeaders(allowed ? status : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        admin.start();
        return admin.getAddress().getPort();
    }

    private static int healthcheck(Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "docker/healthcheck.sh", "/health/ready")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("GATEWAY_ADMIN_PORT");
        builder.environment().remove("GATEWAY_ADMIN_TOKEN");
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("healthcheck.sh finished").isTrue();
        return process.exitValue();
    }
}
