package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.testing.LogLines;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message on disk gives its bytes back to the budget of bytes in flight when the route is done, even when its
 * file cannot be removed; the failed removal is logged.
 */
class SpillFileReleaseTest {

    @TempDir
    Path spill;

    @Test
    void budgetIsReleasedEvenWhenTheMessageFileCannotBeRemoved() throws Exception {
        try (LogLines log = new LogLines("dev.mailgateway.smtpd");
                TestListener listener = TestListener.start(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from(TestListener.uri("spillThreshold=1024&spillDirectory=" + spill)).routeId("smtpd")
                                .process(e -> makeUndeletable(spill.resolve("test")))
                                .setHeader(SmtpdConstants.TAKEN, constant(true));
                    }
                });
                SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.sendMessage("a@src.test", "Subject: large\r\n\r\n" + "x".repeat(998).concat("\r\n").repeat(10),
                    "b@dest.test");
            SmtpdComponent component = listener.context().getComponent("smtpd", SmtpdComponent.class);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(component.budget().used()).as("bytes still counted in flight").isZero();
                assertThat(log.contains("could not remove")).as("the failed removal is logged").isTrue();
            });
        }
    }

    /** Swaps the message's file for a directory with a file in it: deleting that path fails. */
    private static void makeUndeletable(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            Path file = files.filter(f -> f.getFileName().toString().startsWith("message-")).findFirst().orElseThrow();
            Files.delete(file);
            Files.createDirectory(file);
            Files.writeString(file.resolve("keep"), "x");
        }
    }
}
