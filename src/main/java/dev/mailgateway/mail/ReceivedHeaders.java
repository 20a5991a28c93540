package dev.mailgateway.mail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Counts the {@code Received:} fields of a message's header section: the hops it has made (RFC 5321 §6.3). A
 * message with too many is in a loop, or pretends to be; both are refused (Postfix's hopcount_limit). Reads the
 * header section only and stops at the empty line that ends it. Runs once per message on the way in: a plain
 * scan over the bytes, no per-byte stream calls.
 */
public final class ReceivedHeaders {

    private static final byte[] NAME = "received:".getBytes(StandardCharsets.US_ASCII);

    private int count;
    /** Bytes of "received:" matched at the start of the current line; -1: not this line. */
    private int matched;
    private boolean lineStart = true;
    private boolean done;

    private ReceivedHeaders() {
    }

    public static int count(byte[] message) {
        ReceivedHeaders scan = new ReceivedHeaders();
        scan.feed(message, 0, message.length);
        return scan.count;
    }

    public static int count(InputStream message) throws IOException {
        ReceivedHeaders scan = new ReceivedHeaders();
        byte[] buffer = new byte[8192];
        for (int n = message.read(buffer); n > 0 && !scan.done; n = message.read(buffer)) {
            scan.feed(buffer, 0, n);
        }
        return scan.count;
    }

    private void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length && !done; i++) {
            byte b = bytes[i];
            if (lineStart && (b == '\r' || b == '\n')) {
                done = true; // the empty line: the end of the header section
            } else if (b == '\n') {
                lineStart = true;
                matched = 0;
            } else {
                lineStart = false;
                if (matched >= 0 && matched < NAME.length) {
                    int lower = b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
                    matched = lower == NAME[matched] ? matched + 1 : -1;
                    if (matched == NAME.length) {
                        count++;
                    }
                }
            }
        }
    }
}
