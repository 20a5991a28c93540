package dev.mailgateway.mail;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A client as per-client limits count it: its address for IPv4, its /64 network for IPv6. One IPv6 host usually
 * has a whole /64 to itself; counted per address, it could take every connection slot or AUTH attempt.
 */
public final class Clients {

    private Clients() {
    }

    public static InetAddress counted(InetAddress client) {
        if (!(client instanceof Inet6Address)) {
            return client;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOf(Arrays.copyOf(client.getAddress(), 8), 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 16 bytes are an IPv6 address
        }
    }
}
