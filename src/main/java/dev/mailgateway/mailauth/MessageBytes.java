package dev.mailgateway.mailauth;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
        try (InputStream in = open(message)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            int previous3 = -1;
            int previous2 = -1;
            int previous = -1;
            int b;
            while (out.size() < HEADER_LIMIT && (b = in.read()) >= 0) {
                out.write(b);
                if (b == '\n' && previous == '\r' && previous2 == '\n' && previous3 == '\r') {
                    break;
                }
                if (b == '\n' && out.size() == 2 && previous == '\r') {
                    break; // no header fields at all
                }
                previous3 = previous2;
                previous2 = previous;
                previous = b;
            }
            return out.toByteArray();
        } finally {
            MessageHelper.resetStreamCache(message);
        }
    }
}
