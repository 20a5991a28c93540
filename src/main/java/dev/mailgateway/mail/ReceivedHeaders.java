package dev.mailgateway.mail;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the {@code Received:} fields of a message's header section: the hops it has made (RFC 5321 §6.3). A
 * message with too many is in a loop, or pretends to be; both are refused (Postfix's hopcount_limit). Streams the
 * header section only and stops at the empty line that ends it.
 */
public final class ReceivedHeaders {

    private static final byte[] NAME = "received:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ReceivedHeaders() {
    }

    public static int count(byte[] message) {
        try {
            return count(new java.io.ByteArrayInputStream(message));
        } catch (IOException e) {
            throw new IllegalStateException(e); // not from memory
        }
    }

    public static int count(InputStream message) throws IOException {
        InputStream in = message instanceof BufferedInputStream ? message : new BufferedInputStream(message, 8192);
        int count = 0;
        int matched = 0; // bytes of "received:" matched at the start of the current line; -1: not this line
        boolean lineStart = true;
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (lineStart && (b == '\r' || b == '\n')) {
                break; // the empty line: the end of the header section
            }
            lineStart = b == '\n';
            if (lineStart) {
                matched = 0;
            } else if (matched >= 0 && matched < NAME.length) {
                matched = Character.toLowerCase(b) == NAME[matched] ? matched + 1 : -1;
                if (matched == NAME.length) {
                    count++;
                }
            }
        }
        return count;
    }
}
