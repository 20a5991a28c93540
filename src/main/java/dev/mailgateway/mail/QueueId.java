package dev.mailgateway.mail;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queue ids: 19 characters of Crockford base32 (digits and upper-case letters, safe as a file name), made of
 * the time in milliseconds (9, so ids sort by arrival), a random instance tag drawn when this JVM starts (6, so
 * two gateways, or one gateway before and after a restart, never mint the same id) and a counter (4).
 */
public final class QueueId {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int TIME_CHARS = 9;
    private static final int INSTANCE_CHARS = 6;
    private static final int COUNTER_CHARS = 4;
    public static final int LENGTH = TIME_CHARS + INSTANCE_CHARS + COUNTER_CHARS;

    private static final long INSTANCE = new SecureRandom().nextLong() & ((1L << (5 * INSTANCE_CHARS)) - 1);
    private static final AtomicLong COUNTER = new AtomicLong();

    private QueueId() {
    }

    /** A new id, unique across threads, gateway instances and restarts. */
    public static String next() {
        char[] id = new char[LENGTH];
        encode(System.currentTimeMillis(), id, 0, TIME_CHARS);
        encode(INSTANCE, id, TIME_CHARS, INSTANCE_CHARS);
        // Wrapping after 2^20 ids is harmless: the same counter value comes back in another millisecond.
        encode(COUNTER.getAndIncrement(), id, TIME_CHARS + INSTANCE_CHARS, COUNTER_CHARS);
        return new String(id);
    }

    /** Whether the text has the shape of a queue id (used before a queue id is taken into a file name). */
    public static boolean isValid(String s) {
        if (s == null || s.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(char c) {
        for (int i = 0; i < ALPHABET.length; i++) {
            if (ALPHABET[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static void encode(long value, char[] out, int offset, int chars) {
        for (int i = offset + chars - 1; i >= offset; i--) {
            out[i] = ALPHABET[(int) (value & 31)];
            value >>>= 5;
        }
    }
}
