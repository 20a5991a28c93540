package dev.mailgateway.mailauth.spf;

/**
 * The mechanisms of RFC 7208 §5, as parsed. A target domain of null means the domain being evaluated; prefix
 * lengths are the CIDR lengths (32 and 128 when none is given).
 */
sealed interface Mechanism {

    /** Whether evaluating it asks DNS: the terms §4.6.4 allows ten of per check (redirect= counts too). */
    default boolean queriesDns() {
        return !(this instanceof All || this instanceof Ip);
    }

    record All() implements Mechanism {
    }

    record Include(MacroString domain) implements Mechanism {
    }

    record A(MacroString domain, int ip4Prefix, int ip6Prefix) implements Mechanism {
    }

    record Mx(MacroString domain, int ip4Prefix, int ip6Prefix) implements Mechanism {
    }

    record Ptr(MacroString domain) implements Mechanism {
    }

    /** ip4: or ip6:, told apart by the network's length (4 or 16 bytes). */
    record Ip(byte[] network, int prefix) implements Mechanism {
    }

    record Exists(MacroString domain) implements Mechanism {
    }
}
