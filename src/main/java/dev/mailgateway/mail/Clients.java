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

    /**
     * The client's network as greylisting keys it (postgrey): the /24 of an IPv4 address, the /64 of an IPv6 one,
     * so a sender's pool of outbound servers in one network retries as one client.
     */
    public static String network(InetAddress client) {
        byte[] bytes = client.getAddress();
        if (bytes.length == 4) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + ".0/24";
        }
        return counted(client).getHostAddress() + "/64";
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
