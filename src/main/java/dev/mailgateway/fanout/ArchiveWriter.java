package dev.mailgateway.fanout;

import dev.mailgateway.files.OwnerOnly;
import dev.mailgateway.mail.QueueId;
import dev.mailgateway.smtpd.SmtpdConstants;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Writes each message to {@code <directory>/<queue-id>.eml}, byte for byte, and makes it durable before the
 * route goes on: written under a temporary name, fsynced, renamed, and the directory fsynced, so a crash leaves
 * either the whole file or none. An existing file is never overwritten. (Camel's file producer does not fsync in
 * Camel 4, whatever its forceWrites option says, so it cannot be the step that takes a message.)
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
        if (!QueueId.isValid(queueId)) {
            throw new IllegalArgumentException("not a queue id, refusing it as a file name: " + queueId);
        }
        try (InputStream content = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            write(queueId + ".eml", content);
        } catch (org.apache.camel.InvalidPayloadException e) {
            throw new IOException("message " + queueId + " has no body to archive", e);
        }
    }

    private void write(String name, InputStream content) throws IOException {
        OwnerOnly.directory(directory);
        Path target = directory.resolve(name);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path temp = directory.resolve(".tmp-" + name);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                content.transferTo(out);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true); // the rename itself must survive a crash
        }
    }
}
