package dev.mailgateway.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of IP networks in CIDR notation ({@code 127.0.0.0/8, ::1/128, 192.0.2.7}), as Postfix's mynetworks.
 * Entries are numeric only: a host name here would make every connection wait on DNS.
 */
public final class NetworkList {

    private record Network(byte[] prefix, int bits) {
        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    private final List<Network> networks;
    private final String text;

    private NetworkList(List<Network> networks, String text) {
        this.networks = networks;
        this.text = text;
    }

    /**
     * Parses a comma- or space-separated list. An empty text gives an empty list.
     *
     * @throws IllegalArgumentException on an entry that is not an address or network
     */
    public static NetworkList parse(String text) {
        List<Network> networks = new ArrayList<>();
        if (text != null) {
            for (String entry : text.split("[,\\s]+")) {
                if (!entry.isEmpty()) {
                    networks.add(parseEntry(entry));
                }
            }
        }
        return new NetworkList(List.copyOf(networks), text == null ? "" : text.trim());
    }

    private static Network parseEntry(String entry) {
        int slash = entry.indexOf('/');
        String host = slash < 0 ? entry : entry.substring(0, slash);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        byte[] address = numericAddress(host);
        if (address == null) {
            throw new IllegalArgumentException("not an IP network: " + entry);
        }
        int bits = address.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length: " + entry);
            }
            if (bits < 0 || bits > address.length * 8) {
                throw new IllegalArgumentException("bad prefix length: " + entry);
            }
        }
        return new Network(address, bits);
    }

    private static byte[] numericAddress(String host) {
        if (host.isEmpty() || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return null;
        }
        try {
            return canonical(InetAddress.getByName(host)); // a numeric literal: no DNS lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are compared as the IPv4 address they carry. */
    private static byte[] canonical(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && bytes.length == 16) {
            boolean mapped = bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = bytes[i] == 0;
            }
            if (mapped) {
                return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
            }
        }
        return bytes;
    }

    public boolean contains(InetAddress address) {
        if (address == null || networks.isEmpty()) {
            return false;
        }
        byte[] bytes = address instanceof Inet4Address ? address.getAddress() : canonical(address);
        for (Network network : networks) {
            if (network.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }
}
