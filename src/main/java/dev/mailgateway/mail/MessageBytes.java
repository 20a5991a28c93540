package dev.mailgateway.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import dev.mailgateway.smtpd.SmtpdConstants;
import org.apache.camel.Exchange;
import org.apache.camel.converter.stream.FileInputStreamCache;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.Message;
import org.apache.camel.support.MessageHelper;

/**
 * The message as the listener received it (the exchange's body: bytes, or a file-backed stream cache for large
 * messages), read as often as the blocks need: each read starts at the first byte.
 */
public final class MessageBytes {

    /** The longest header section read into memory; a longer one is read no further (its fields are not seen). */
    public static final int HEADER_LIMIT = 1024 * 1024;

    private MessageBytes() {
    }

    public static InputStream open(Message message) {
        MessageHelper.resetStreamCache(message);
        Object body = message.getBody();
        if (body instanceof byte[] bytes) {
            return new ByteArrayInputStream(bytes);
        }
        InputStream in = message.getBody(InputStream.class);
        if (in == null) {
            throw new IllegalStateException("the exchange has no message body to read");
        }
        return in;
    }

    /** The header section with the empty line that ends it (or the whole message, when it has no body). */
    public static byte[] headerSection(Message message) throws IOException {
        if (message.getBody() instanceof byte[] bytes) { // the usual case: scanned where it lies, not read byte by byte
            return Arrays.copyOf(bytes, headerLength(bytes, Math.min(bytes.length, HEADER_LIMIT)));
        }
        try (InputStream in = open(message)) {
            byte[] start = in.readNBytes(HEADER_LIMIT);
            return Arrays.copyOf(start, headerLength(start, start.length));
        } finally {
            MessageHelper.resetStreamCache(message);
        }
    }

    /** Up to and with the CRLF CRLF that ends the header section (or a CRLF first: no fields); else all. */
    public static int headerLength(byte[] bytes, int length) {
        if (length >= 2 && bytes[0] == '\r' && bytes[1] == '\n') {
            return 2;
        }
        for (int i = 3; i < length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return length;
    }

    /**
     * Replaces the message's header section (its first {@code oldHeaderLength} bytes) by {@code header}; the body
     * follows unchanged. A message in memory stays in memory; a spilled one is written to a new file beside the
     * temporary directory's others, read through a stream cache and deleted when the exchange is done, so a large
     * message is never read into the heap to edit a few header lines.
     */
    public static void replaceHeader(Exchange exchange, byte[] header, int oldHeaderLength) throws IOException {
        Message message = exchange.getMessage();
        long size;
        if (message.getBody() instanceof byte[] bytes) {
            byte[] edited = new byte[header.length + bytes.length - oldHeaderLength];
            System.arraycopy(header, 0, edited, 0, header.length);
            System.arraycopy(bytes, oldHeaderLength, edited, header.length, bytes.length - oldHeaderLength);
            message.setBody(edited);
            size = edited.length;
        } else {
            Path file = Files.createTempFile("mail-edit-", ".eml");
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        file.toFile().deleteOnExit();
                    }
                }
            });
            try (InputStream in = open(message); OutputStream out = Files.newOutputStream(file)) {
                in.skipNBytes(oldHeaderLength);
                out.write(header);
                in.transferTo(out);
            }
            message.setBody(new FileInputStreamCache(file.toFile()));
            size = Files.size(file);
        }
        message.setHeader(SmtpdConstants.SIZE, size);
    }
}
