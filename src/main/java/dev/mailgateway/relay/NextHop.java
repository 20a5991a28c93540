package dev.mailgateway.relay;

/**
 * Where mail for some recipients goes: a host (a name or, for an MX host, one of its addresses) and port, how TLS
 * is used, and the credentials for a smarthost. Connections are pooled per next hop.
 *
 * @param name     how logs name it (the MX host name for an MX address)
 * @param username null when the next hop takes mail without AUTH
 */
public record NextHop(String name, String host, int port, TlsPolicy tls, String username, String password) {

    public static NextHop parse(String hostPort, int defaultPort, TlsPolicy tls) {
        String text = hostPort.strip();
        String host = text;
        int port = defaultPort;
        if (text.startsWith("[")) { // [host]:port or [IPv6]:port, as Postfix writes them
            int close = text.indexOf(']');
            host = text.substring(1, close);
            if (close + 1 < text.length() && text.charAt(close + 1) == ':') {
                port = Integer.parseInt(text.substring(close + 2));
            }
        } else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = Integer.parseInt(text.substring(text.indexOf(':') + 1));
        }
        if (host.isEmpty() || port <= 0 || port > 65535) {
            throw new IllegalArgumentException("not a host[:port]: " + hostPort);
        }
        return new NextHop(host, host, port, tls, null, null);
    }

    /** An address of an MX host. */
    public static NextHop mx(String name, java.net.InetAddress address, int port, TlsPolicy tls) {
        return new NextHop(name, address.getHostAddress(), port, tls, null, null);
    }

    public NextHop withTls(TlsPolicy policy) {
        return policy == tls ? this : new NextHop(name, host, port, policy, username, password);
    }

    public NextHop withCredentials(String user, String secret) {
        return new NextHop(name, host, port, tls, user, secret);
    }

    /** Where connections go, {@code host:port}: what concurrency limits and suspensions count by. */
    public String address() {
        return host + ":" + port;
    }

    /** How logs name it: {@code host:port}, or {@code name[address]:port} for an MX host, as Postfix writes it. */
    public String label() {
        String address = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (name.equals(host) ? address : name + "[" + host + "]") + ":" + port;
    }

    @Override
    public String toString() {
        return label(); // never the password
    }
}
