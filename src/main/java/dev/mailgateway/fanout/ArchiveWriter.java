package dev.mailgateway.fanout;

import dev.mailgateway.files.MessageFiles;
import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.SpoolEnvelope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Keeps each message where people can find it by day: {@code <directory>/YYYY/MM/DD/<queue-id>.eml}, byte for
 * byte as spooled, beside {@code <queue-id>.json}, its accepted event (what {@code mail-event:archive} put on the
 * message; built from the envelope it carries when it has none). The day is the UTC date the message was queued,
 * which the message carries, so a redelivery finds the same directory. Each file is durable before the route goes
 * on ({@link MessageFiles}), the .json first: an .eml is never without its .json. A message redelivered after its
 * files were written (a crash before the commit) finds them there and is done: never a second file, never a
 * failure that sends it to the dead-letter queue.
 */
public class ArchiveWriter implements Processor {

    private Path directory;

    public void setDirectory(String directory) {
        this.directory = Path.of(directory);
    }

    public Path getDirectory() {
        return directory;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        String queueId = message.getHeader(SmtpdConstants.QUEUE_ID, String.class);
        Path day = directory.resolve(day(message));
        String event = message.getHeader(MailEventConstants.ACCEPTED_EVENT, String.class);
        if (event == null || event.isEmpty()) {
            event = EventJson.write(AcceptedEvents.of(message, "deliver"));
        }
        MessageFiles.writeOnce(day, queueId, ".json",
                new ByteArrayInputStream((event + "\n").getBytes(StandardCharsets.UTF_8)));
        try (InputStream content = message.getMandatoryBody(InputStream.class)) {
            MessageFiles.writeOnce(day, queueId, ".eml", content);
        } catch (InvalidPayloadException e) {
            throw new IOException("message " + queueId + " has no body to archive", e);
        }
    }

    /** {@code YYYY/MM/DD} of the day it was queued (UTC); now for a message that does not say (not from the spool). */
    static String day(Message message) {
        Long queuedAt = message.getHeader(SpoolEnvelope.QUEUED_AT, Long.class);
        LocalDate date = LocalDate.ofInstant(
                queuedAt == null ? Instant.now() : Instant.ofEpochMilli(queuedAt), ZoneOffset.UTC);
        return String.format("%04d/%02d/%02d", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
    }
}
