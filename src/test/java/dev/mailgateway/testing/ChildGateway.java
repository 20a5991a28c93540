package dev.mailgateway.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The packaged gateway as a child JVM ({@code java -jar target/mail-gateway.jar} from the repository root, as
 * README says), configured by environment variables only: its mx listener on a given port, its data in a given
 * directory, the submission listeners off, its output appended to a log file. The caller adds its own variables
 * and stops the process.
 */
public final class ChildGateway {

    private ChildGateway() {
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** @param jvmOptions heap size and the like, before {@code -jar} */
    public static ProcessBuilder builder(int port, Path dataDir, Path log, String... jvmOptions) {
        List<String> command = Stream.concat(Stream.concat(
                Stream.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()), Stream.of(jvmOptions)),
                Stream.of("-jar", "target/mail-gateway.jar")).toList();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("GATEWAY_SMTP_PORT", String.valueOf(port));
        builder.environment().put("GATEWAY_DATA_DIR", dataDir.toString());
        builder.environment().put("GATEWAY_ADMIN_PORT", "0"); // child gateways may run side by side
        builder.environment().put("GATEWAY_SUBMISSION_ENABLED", "false");
        builder.environment().put("GATEWAY_SUBMISSIONS_ENABLED", "false");
        return builder;
    }

    /** Waits, generously (a child JVM on a loaded machine), until the listener greets with {@code greeting}. */
    public static void awaitGreeting(int port, String greeting) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> {
                    try (SmtpClient probe = new SmtpClient(port)) {
                        probe.expect(greeting);
                    }
                });
    }
}
