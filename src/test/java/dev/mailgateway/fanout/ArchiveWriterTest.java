package dev.mailgateway.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailgateway.mail.QueueId;
import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.SpoolEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveWriterTest {

    /** Queued a millisecond before midnight UTC: the day is the 1st, wherever the test runs. */
    private static final long QUEUED_AT = Instant.parse("2026-03-01T23:59:59.999Z").toEpochMilli();

    @TempDir
    Path dir;

    private Exchange exchange(String queueId, byte[] body, String event) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(SmtpdConstants.QUEUE_ID, queueId);
        exchange.getMessage().setHeader(SpoolEnvelope.QUEUED_AT, QUEUED_AT);
        if (event != null) {
            exchange.getMessage().setHeader(MailEventConstants.ACCEPTED_EVENT, event);
        }
        exchange.getMessage().setBody(body);
        return exchange;
    }

    private ArchiveWriter writer(Path directory) {
        ArchiveWriter writer = new ArchiveWriter();
        writer.setDirectory(directory.toString());
        return writer;
    }

    private static long files(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }

    @Test
    void writesTheBodyUnderTheUtcDayItWasQueuedBesideItsEventAndLeavesNoTemporaryFile() throws Exception {
        String id = QueueId.next();
        byte[] body = {'a', (byte) 0xE9, '\r', '\n', 0, (byte) 0xFF};
        writer(dir.resolve("new/archive")).process(exchange(id, body, "{\"type\":\"accepted\"}"));
        Path day = dir.resolve("new/archive/2026/03/01");
        assertThat(Files.readAllBytes(day.resolve(id + ".eml"))).isEqualTo(body);
        assertThat(Files.readString(day.resolve(id + ".json"))).isEqualTo("{\"type\":\"accepted\"}\n");
        try (Stream<Path> names = Files.list(day)) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(id + ".eml", id + ".json");
        }
    }

    @Test
    void aRedeliveredMessageFindsItsFilesWrittenAndSucceedsWithoutOverwritingThem() throws Exception {
        String id = QueueId.next();
        writer(dir).process(exchange(id, new byte[] {1}, "{\"n\":1}"));
        writer(dir).process(exchange(id, new byte[] {2}, "{\"n\":2}")); // the same message again, after a rollback
        Path day = dir.resolve("2026/03/01");
        assertThat(Files.readAllBytes(day.resolve(id + ".eml"))).containsExactly(1);
        assertThat(Files.readString(day.resolve(id + ".json"))).isEqualTo("{\"n\":1}\n");
        assertThat(files(day)).isEqualTo(2);
    }

    @Test
    void aCrashAfterTheEventFileIsMadeGoodOnRedelivery() throws Exception {
        String id = QueueId.next();
        Path day = Files.createDirectories(dir.resolve("2026/03/01"));
        Files.writeString(day.resolve(id + ".json"), "{\"written\":\"before the crash\"}\n");
        writer(dir).process(exchange(id, new byte[] {7}, "{\"written\":\"again\"}"));
        assertThat(Files.readAllBytes(day.resolve(id + ".eml"))).containsExactly(7);
        assertThat(Files.readString(day.resolve(id + ".json"))).contains("before the crash");
        assertThat(files(day)).isEqualTo(2);
    }

    @Test
    void aMessageWithoutItsEventGetsOneMadeFromItsEnvelope() throws Exception {
        String id = QueueId.next();
        Exchange exchange = exchange(id, "Subject: =?UTF-8?Q?caf=C3=A9?=\r\n\r\nx\r\n".getBytes(StandardCharsets.UTF_8),
                null);
        exchange.getMessage().setHeader(SmtpdConstants.SENDER, "a@src.test");
        exchange.getMessage().setHeader(SpoolEnvelope.RECIPIENTS, "b@dest.test\nc@dest.test");
        writer(dir).process(exchange);
        JsonNode event = new ObjectMapper().readTree(dir.resolve("2026/03/01/" + id + ".json").toFile());
        assertThat(event.get("type").asText()).isEqualTo("accepted");
        assertThat(event.get("queueId").asText()).isEqualTo(id);
        assertThat(event.get("time").asText()).isEqualTo("2026-03-01T23:59:59.999Z");
        assertThat(event.get("envelope").get("sender").asText()).isEqualTo("a@src.test");
        assertThat(event.get("envelope").get("recipients")).hasSize(2);
        assertThat(event.get("subject").asText()).isEqualTo("café");
    }

    @Test
    void refusesAQueueIdThatCouldEscapeTheDirectory() {
        assertThatThrownBy(() -> writer(dir).process(exchange("../../etc/passwd", new byte[] {1}, "{}")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
