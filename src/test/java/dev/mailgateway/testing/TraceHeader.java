package dev.mailgateway.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Helpers to compare a received message with what the client sent: the gateway adds fields on top (its Received
 * header, Authentication-Results for untrusted mail, the X-Spam verdict lines of mail-filter:tag) and changes
 * nothing else.
 */
public final class TraceHeader {

    private TraceHeader() {
    }

    /**
     * The message without its first header field (with its folded lines), the X-Spam verdict lines on top of it
     * left out first: {@code strip} of a trusted client's message is what the client sent.
     */
    public static byte[] strip(byte[] message) {
        int start = spamLinesEnd(message);
        for (int i = start; i + 2 < message.length; i++) {
            if (message[i] == '\r' && message[i + 1] == '\n' && message[i + 2] != ' ' && message[i + 2] != '\t') {
                return Arrays.copyOfRange(message, i + 2, message.length);
            }
        }
        throw new AssertionError("no header field ends in the message");
    }

    /** The first header field after the X-Spam verdict lines, with its folded lines. */
    public static String first(byte[] message) {
        int start = spamLinesEnd(message);
        return new String(message, start, message.length - start - strip(message).length, StandardCharsets.UTF_8);
    }

    /** Where the X-Spam-* fields at the top of the message end (0 when there are none). */
    private static int spamLinesEnd(byte[] message) {
        int at = 0;
        while (startsWith(message, at, "X-Spam-")) {
            int i = at;
            while (i + 2 < message.length && !(message[i] == '\r' && message[i + 1] == '\n'
                    && message[i + 2] != ' ' && message[i + 2] != '\t')) {
                i++;
            }
            at = i + 2;
        }
        return at;
    }

    private static boolean startsWith(byte[] message, int at, String prefix) {
        if (at + prefix.length() > message.length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (message[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
