package dev.mailgateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.mail.QueueId;
import dev.mailgateway.smtpd.SmtpdConstants;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveWriterTest {

    @TempDir
    Path dir;

    private Exchange exchange(String queueId, byte[] body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(SmtpdConstants.QUEUE_ID, queueId);
        exchange.getMessage().setBody(body);
        return exchange;
    }

    private ArchiveWriter writer(Path directory) {
        ArchiveWriter writer = new ArchiveWriter();
        writer.setDirectory(directory.toString());
        return writer;
    }

    @Test
    void writesTheBodyUnderTheQueueIdAndLeavesNoTemporaryFile() throws Exception {
        String id = QueueId.next();
        byte[] body = {'a', (byte) 0xE9, '\r', '\n', 0, (byte) 0xFF};
        writer(dir.resolve("new/archive")).process(exchange(id, body));
        assertThat(Files.readAllBytes(dir.resolve("new/archive/" + id + ".eml"))).isEqualTo(body);
        try (var files = Files.list(dir.resolve("new/archive"))) {
            assertThat(files).containsExactly(dir.resolve("new/archive/" + id + ".eml"));
        }
    }

    @Test
    void aRedeliveredMessageFindsItsFileWrittenAndSucceedsWithoutOverwritingIt() throws Exception {
        String id = QueueId.next();
        writer(dir).process(exchange(id, new byte[] {1}));
        writer(dir).process(exchange(id, new byte[] {1})); // the same message again, after a rollback
        assertThat(Files.readAllBytes(dir.resolve(id + ".eml"))).containsExactly(1);
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void refusesAQueueIdThatCouldEscapeTheDirectory() {
        assertThatThrownBy(() -> writer(dir).process(exchange("../../etc/passwd", new byte[] {1})))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
