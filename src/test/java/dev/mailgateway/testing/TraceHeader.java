package dev.mailgateway.testing;

import java.util.Arrays;

/** Helpers to compare a received message with what the client sent: our Received header is the only addition. */
public final class TraceHeader {

    private TraceHeader() {
    }

    /** The message without its first header field (with its folded lines). */
    public static byte[] strip(byte[] message) {
        for (int i = 0; i + 2 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] != ' ' && message[i + 2] != '\t') {
                return Arrays.copyOfRange(message, i + 2, message.length);
            }
        }
        throw new AssertionError("no header field ends in the message");
    }

    /** The first header field, with its folded lines. */
    public static String first(byte[] message) {
        return new String(message, 0, message.length - strip(message).length, java.nio.charset.StandardCharsets.UTF_8);
    }
}
