package dev.mailgateway.mailauth.spf;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * Addresses as SPF reads and writes them, on raw bytes (4 or 16): the strict text forms of ip4: and ip6: (our own
 * parsers: {@link InetAddress#getByName} would accept forms RFC 7208 does not, and turns IPv4-mapped addresses into
 * IPv4 ones), prefix matching, and the forms the macros expand to.
 */
final class IpAddresses {

    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF};

    private IpAddresses() {
    }

    /** The client as SPF sees it: an IPv4-mapped IPv6 address is its IPv4 address (RFC 7208 §5: "MUST"). */
    static byte[] client(InetAddress address) {
        return unmapped(address.getAddress());
    }

    /** 4 bytes for an IPv4-mapped IPv6 address, the bytes as they are otherwise. */
    static byte[] unmapped(byte[] bytes) {
        if (bytes.length == 16 && Arrays.equals(bytes, 0, 12, MAPPED_PREFIX, 0, 12)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    /**
     * ip4-network (RFC 7208 §5.6): four decimal octets without leading zeros.
     *
     * @return 4 bytes, or null when the text is not one
     */
    static byte[] parseIp4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = decimal(parts[i], 255);
            if (octet < 0) {
                return null;
            }
            bytes[i] = (byte) octet;
        }
        return bytes;
    }

    /**
     * ip6-network: the text form of RFC 4291 §2.2 (hexadecimal groups, one {@code ::} at most, a dotted IPv4 tail);
     * no zone, no brackets.
     *
     * @return 16 bytes, or null when the text is not one
     */
    static byte[] parseIp6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = gap < 0 ? groups(text, true) : groups(text.substring(0, gap), false);
        int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2), true);
        if (head == null || tail == null) {
            return null;
        }
        int given = head.length + tail.length;
        if (gap < 0 ? given != 8 : given > 7) {
            return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < head.length; i++) {
            bytes[2 * i] = (byte) (head[i] >> 8);
            bytes[2 * i + 1] = (byte) head[i];
        }
        for (int i = 0; i < tail.length; i++) {
            int at = 8 - tail.length + i;
            bytes[2 * at] = (byte) (tail[i] >> 8);
            bytes[2 * at + 1] = (byte) tail[i];
        }
        return bytes;
    }

    /** Colon-separated 16-bit groups; the last may be a dotted IPv4 address (two groups) when it ends the text. */
    private static int[] groups(String text, boolean endsAddress) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(":", -1);
        boolean dotted = endsAddress && parts[parts.length - 1].indexOf('.') >= 0;
        int[] groups = new int[parts.length + (dotted ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (dotted && i == parts.length - 1) {
                byte[] ip4 = parseIp4(part);
                if (ip4 == null) {
                    return null;
                }
                groups[i] = (ip4[0] & 0xFF) << 8 | ip4[1] & 0xFF;
                groups[i + 1] = (ip4[2] & 0xFF) << 8 | ip4[3] & 0xFF;
            } else {
                if (part.isEmpty() || part.length() > 4 || !part.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    return null;
                }
                groups[i] = Integer.parseInt(part, 16);
            }
        }
        return groups;
    }

    /**
     * A CIDR length or an octet: "0" or digits without a leading zero (RFC 7208 §5.6 allows no other form), at
     * most {@code max}.
     *
     * @return the value, or -1 when the text is not one
     */
    static int decimal(String text, int max) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || text.length() > 1 && text.charAt(0) == '0') {
            return -1;
        }
        int value = Integer.parseInt(text);
        return value <= max ? value : -1;
    }

    /** Whether the first {@code prefix} bits of both addresses (of one family) agree. */
    static boolean inNetwork(byte[] address, byte[] network, int prefix) {
        if (address.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        if (!Arrays.equals(address, 0, whole, network, 0, whole)) {
            return false;
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (address[whole] & mask) == (network[whole] & mask);
    }

    /** %{i}: the dotted quad, or for IPv6 the 32 nibbles dot-separated, lowercase (RFC 7208 §7.4's example). */
    static String dotted(byte[] address) {
        StringBuilder text = new StringBuilder();
        for (byte b : address) {
            if (!text.isEmpty()) {
                text.append('.');
            }
            if (address.length == 4) {
                text.append(b & 0xFF);
            } else {
                text.append(Character.forDigit(b >> 4 & 0xF, 16)).append('.').append(Character.forDigit(b & 0xF, 16));
            }
        }
        return text.toString();
    }

    /** The reverse-mapping name PTR records are asked at: reversed octets or nibbles. */
    static String reverseName(byte[] address) {
        String[] labels = dotted(address).split("\\.");
        StringBuilder name = new StringBuilder();
        for (int i = labels.length - 1; i >= 0; i--) {
            name.append(labels[i]).append('.');
        }
        return name.append(address.length == 4 ? "in-addr.arpa" : "ip6.arpa").toString();
    }

    /**
     * %{c}: the dotted quad, or for IPv6 the text form of RFC 5952 (lowercase, no leading zeros, the longest run of
     * two or more zero groups, the first of equal runs, as {@code ::}).
     */
    static String readable(byte[] address) {
        if (address.length == 4) {
            return dotted(address);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xFF) << 8 | address[2 * i + 1] & 0xFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(j, i + 1);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
