package dev.mailgateway.fanout;

import dev.mailgateway.files.MessageFiles;
import dev.mailgateway.smtpd.SmtpdConstants;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Processor;

/**
 * Writes each message to {@code <directory>/<queue-id>.eml}, byte for byte, durable before the route goes on
 * ({@link MessageFiles}). A message redelivered after its file was written (a crash before the commit) finds the
 * file there and is done: never a second file, never a failure that sends it to the dead-letter queue.
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
        String queueId = exchange.getMessage().getHeader(SmtpdConstants.QUEUE_ID, String.class);
        try (InputStream content = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            MessageFiles.writeOnce(directory, queueId, content);
        } catch (InvalidPayloadException e) {
            throw new IOException("message " + queueId + " has no body to archive", e);
        }
    }
}
