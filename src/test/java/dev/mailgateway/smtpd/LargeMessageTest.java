package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.fanout.ArchiveWriter;
import dev.mailgateway.testing.Archive;
import dev.mailgateway.testing.GeneratedMessage;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.StreamCache;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 20 MB message, by DATA and by BDAT, arrives byte for byte; past the spill threshold its bytes go to a file
 * while they arrive and reach the route as a file-backed stream, never as one array on the heap.
 */
class LargeMessageTest {

    private static final long SIZE = 20L * 1024 * 1024;

    @TempDir
    static Path dir;
    private static TestListener listener;
    private static final List<String> bodyTypes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        ArchiveWriter archive = new ArchiveWriter();
        archive.setDirectory(dir.resolve("archive").toString());
        listener = TestListener.start(new RouteBuilder() {
            @Override
            public void configure() {
                from(TestListener.uri("maxMessageSize=30000000&spillThreshold=262144&spillDirectory="
                        + dir.resolve("spill"))).routeId("smtpd")
                        .process(e -> bodyTypes.add(e.getMessage().getBody().getClass().getName()))
                        .process(archive)
                        .setHeader(SmtpdConstants.TAKEN, constant(true));
            }
        });
    }

    @AfterAll
    static void stop() {
        listener.close();
    }

    private static Path archived(String reply) throws java.io.IOException {
        return Archive.file(dir.resolve("archive"), Archive.queueId(reply));
    }

    @Test
    void twentyMegabytesByDataArriveExactly() throws Exception {
        GeneratedMessage message = new GeneratedMessage(1, SIZE);
        String reply;
        String sent;
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.startData("big@src.test", "b@dest.test");
            sent = client.stream(out -> message.writeTo(out, true));
            client.sendRaw(".\r\n");
            reply = client.expect("250 2.0.0 Ok: queued as ");
        }
        assertThat(Archive.sha256WithoutTrace(archived(reply))).isEqualTo(sent);
        assertThat(bodyTypes).allMatch(type -> !type.equals("[B"));
        assertThat(StreamCache.class.isAssignableFrom(Class.forName(bodyTypes.get(bodyTypes.size() - 1)))).isTrue();
        try (var leftovers = Files.list(dir.resolve("spill/test"))) {
            assertThat(leftovers).as("spill files are removed once the route is done").isEmpty();
        }
    }

    @Test
    void twentyMegabytesByBdatArriveExactly() throws Exception {
        GeneratedMessage message = new GeneratedMessage(2, SIZE);
        long size = message.size();
        String reply;
        String sent;
        try (SmtpClient client = SmtpClient.ehlo(listener.port())) {
            client.command("MAIL FROM:<big@src.test> SIZE=" + size, "250 ");
            client.command("RCPT TO:<b@dest.test>", "250 ");
            client.sendRaw("BDAT " + size + " LAST\r\n");
            sent = client.stream(out -> message.writeTo(out, false));
            reply = client.expect("250 2.0.0 Ok: queued as ");
        }
        assertThat(Archive.sha256WithoutTrace(archived(reply))).isEqualTo(sent);
    }
}
