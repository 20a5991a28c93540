package dev.mailgateway.policy.lists;

import java.util.BitSet;

/**
 * Which answers of a DNS list count, as Postfix writes the filter of a {@code postscreen_dnsbl_sites} entry: an
 * IPv4 address whose octets are each a number ({@code 2}), or a bracketed list of numbers and ranges separated by
 * {@code ;} ({@code [2..11]}, {@code [2;4;9..11]}). Example: {@code 127.0.0.[2..11]}.
 */
final class ReplyPattern {

    private final BitSet[] octets;
    private final String text;

    private ReplyPattern(BitSet[] octets, String text) {
        this.octets = octets;
        this.text = text;
    }

    /** @throws IllegalArgumentException with what is wrong; the caller names the entry */
    static ReplyPattern parse(String text) {
        BitSet[] octets = new BitSet[4];
        int position = 0;
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                if (position >= text.length() || text.charAt(position) != '.') {
                    throw new IllegalArgumentException("a reply pattern has four octets");
                }
                position++;
            }
            int end;
            if (position < text.length() && text.charAt(position) == '[') {
                end = text.indexOf(']', position);
                if (end < 0) {
                    throw new IllegalArgumentException("'[' without ']'");
                }
                octets[i] = alternatives(text.substring(position + 1, end));
                end++;
            } else {
                end = position;
                while (end < text.length() && isDigit(text.charAt(end))) {
                    end++;
                }
                octets[i] = new BitSet(256);
                octets[i].set(number(text.substring(position, end)));
            }
            position = end;
        }
        if (position != text.length()) {
            throw new IllegalArgumentException("a reply pattern has four octets");
        }
        return new ReplyPattern(octets, text);
    }

    /** {@code 2;4;9..11}: numbers and ranges. */
    private static BitSet alternatives(String text) {
        BitSet values = new BitSet(256);
        for (String item : text.split(";", -1)) {
            int dots = item.indexOf("..");
            if (dots < 0) {
                values.set(number(item));
            } else {
                int from = number(item.substring(0, dots));
                int to = number(item.substring(dots + 2));
                if (from > to) {
                    throw new IllegalArgumentException("empty range " + item);
                }
                values.set(from, to + 1);
            }
        }
        return values;
    }

    private static int number(String text) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(ReplyPattern::isDigit)) {
            throw new IllegalArgumentException("not an octet: '" + text + "'");
        }
        int value = Integer.parseInt(text);
        if (value > 255) {
            throw new IllegalArgumentException("not an octet: " + text);
        }
        return value;
    }

    /** ASCII only: {@link Character#isDigit} takes other scripts' digits too. */
    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** @param address the four bytes of an IPv4 address */
    boolean matches(byte[] address) {
        for (int i = 0; i < 4; i++) {
            if (!octets[i].get(address[i] & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
