package dev.mailgateway.mailauth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.camel.Message;
import org.apache.camel.support.MessageHelper;

/**
 * The message as the listener received it (the exchange's body: bytes, or a file-backed stream cache for large
 * messages), read as often as the blocks need: each read starts at the first byte.
 */
final class MessageBytes {

    /** The longest header section read into memory; a longer one is read no further (its fields are not seen). */
    static final int HEADER_LIMIT = 1024 * 1024;

    private MessageBytes() {
    }

    static InputStream open(Message message) {
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
    static byte[] headerSection(Message message) throws IOException {
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
    static int headerLength(byte[] bytes, int length) {
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
}
