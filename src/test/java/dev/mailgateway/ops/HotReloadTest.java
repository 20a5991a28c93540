package dev.mailgateway.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.Sink;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gateway.routes.reload with the shipped routes, copied to a directory of the test's own: a processing route file is
 * changed while an SMTP session is open; the session completes, the next message follows the new route, and a
 * broken save leaves the route running as it was.
 */
class HotReloadTest {

    private static final String EDIT_ANCHOR = "        - to:\n            uri: mail-edit:address-map\n";

    @TempDir
    Path dir;

    @Test
    void aSavedRouteFileAppliesToTheNextMessageWithoutTouchingOpenSessions() throws Exception {
        Path routes = Files.createDirectory(dir.resolve("routes"));
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path file : shipped.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Path rules = routes.resolve("rules.yaml");
        String original = Files.readString(rules);
        assertThat(original).contains(EDIT_ANCHOR);
        try (Sink next = Sink.start("tls=none"); LogLines reloads = new LogLines("dev.mailgateway.ops.RouteFileReload");
                LogLines camel = new LogLines("org.apache.camel");
                TestGateway gateway = TestGateway.start(dir.resolve("data"), Map.of(
                        "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml",
                        "gateway.routes.reload", "true",
                        "gateway.transport-map", "dest.test=" + next.address()))) {
            CamelContext context = gateway.main().getCamelContext();
            Route mx = context.getRoute("mx");
            Route before = context.getRoute("rules");
            try (SmtpClient open = SmtpClient.ehlo(gateway.port())) {
                open.startData("a@src.test", "r1@dest.test");
                open.sendRaw("From: a@src.test\r\nSubject: in flight\r\n\r\nsent while the file changes\r\n");

                save(rules, original.replace(EDIT_ANCHOR, EDIT_ANCHOR
                        + "        - to:\n            uri: mail-edit:header\n            parameters:\n"
                        + "              add: \"X-Rules-Version: 2\"\n"));
                await().atMost(Duration.ofSeconds(60)).until(() -> context.getRoute("rules") != before);

                open.sendRaw(".\r\n");
                open.expect("250 2.0.0 Ok: queued as ");
                open.command("QUIT", "221");
            }
            assertThat(context.getRoute("mx")).as("the listener was not restarted").isSameAs(mx);

            try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
                client.sendMessage("a@src.test", "From: a@src.test\r\nSubject: after\r\n\r\nnew route\r\n",
                        "r2@dest.test");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> next.received().size() == 2);
            assertThat(text(next, "r2@dest.test")).startsWith("X-Rules-Version: 2\r\n");

            Route working = context.getRoute("rules");
            save(rules, original.replace(EDIT_ANCHOR, "        - to: [this is not a step\n"));
            await().atMost(Duration.ofSeconds(60)).until(() -> !reloads.lines(Level.ERROR).isEmpty());
            assertThat(reloads.lines(Level.ERROR)).singleElement().asString().contains("rules.yaml not applied: line ",
                    ", column ", "the routes it holds keep running");
            assertThat(context.getRoute("rules")).as("the broken save left the route as it was").isSameAs(working);

            // YAML, but not a route Camel can build: Camel refuses it, naming the file; the route stays too
            save(rules, original.replace(EDIT_ANCHOR, "        - no-such-step:\n            uri: x\n"));
            await().atMost(Duration.ofSeconds(60)).until(() -> camel.lines(Level.WARN).stream()
                    .anyMatch(line -> line.contains("Error reloading routes from file") && line.contains("rules.yaml")));
            assertThat(context.getRoute("rules")).isSameAs(working);
            try (SmtpClient client = SmtpClient.ehlo(gateway.port())) {
                client.sendMessage("a@src.test", "From: a@src.test\r\nSubject: still\r\n\r\nold route\r\n",
                        "r3@dest.test");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> next.received().size() == 3);
            assertThat(text(next, "r3@dest.test")).startsWith("X-Rules-Version: 2\r\n");
        }
    }

    /** Written whole and moved into place, as editors save: the watcher never sees half a file. */
    private static void save(Path file, String content) throws Exception {
        Path temp = Files.writeString(file.resolveSibling("." + file.getFileName() + ".tmp"), content);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String text(Sink sink, String recipient) {
        return sink.received().stream().filter(r -> r.recipients().contains(recipient))
                .map(r -> new String(r.content(), StandardCharsets.UTF_8)).findFirst().orElseThrow();
    }
}
