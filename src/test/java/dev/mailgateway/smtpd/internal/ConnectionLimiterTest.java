package dev.mailgateway.smtpd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.smtpd.internal.ConnectionLimiter.Verdict;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Sessions per client: an IPv4 client is its address, an IPv6 client its /64 (what one host usually has). */
class ConnectionLimiterTest {

    private static InetAddress ip(String address) throws Exception {
        return InetAddress.getByName(address);
    }

    @Test
    void ipv6AddressesOfOneSlash64ShareOneClientLimit() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(100, 2);
        assertThat(limiter.acquire(ip("2001:db8:1:2::1"), false)).isEqualTo(Verdict.OK);
        assertThat(limiter.acquire(ip("2001:db8:1:2:ffff:ffff:ffff:fffe"), false)).isEqualTo(Verdict.OK);
        assertThat(limiter.acquire(ip("2001:db8:1:2:abcd::9"), false)).isEqualTo(Verdict.TOO_MANY_FROM_CLIENT);
        assertThat(limiter.acquire(ip("2001:db8:1:3::1"), false)).as("the next /64").isEqualTo(Verdict.OK);
    }

    @Test
    void aReleasedIpv6SessionFreesItsSlash64sPlace() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(100, 1);
        assertThat(limiter.acquire(ip("2001:db8::1"), false)).isEqualTo(Verdict.OK);
        limiter.release(ip("2001:db8::1"));
        assertThat(limiter.acquire(ip("2001:db8::2"), false)).isEqualTo(Verdict.OK);
        assertThat(limiter.open()).isEqualTo(1);
    }

    @Test
    void ipv4ClientsCountPerAddress() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(100, 1);
        assertThat(limiter.acquire(ip("192.0.2.1"), false)).isEqualTo(Verdict.OK);
        assertThat(limiter.acquire(ip("192.0.2.2"), false)).isEqualTo(Verdict.OK);
        assertThat(limiter.acquire(ip("192.0.2.1"), false)).isEqualTo(Verdict.TOO_MANY_FROM_CLIENT);
    }

    @Test
    void trustedClientsCountOnlyTowardsTheTotal() throws Exception {
        ConnectionLimiter limiter = new ConnectionLimiter(2, 1);
        assertThat(limiter.acquire(ip("2001:db8::1"), true)).isEqualTo(Verdict.OK);
        assertThat(limiter.acquire(ip("2001:db8::2"), true)).isEqualTo(Verdict.OK);
        assertThat(limiter.acquire(ip("2001:db8::3"), true)).isEqualTo(Verdict.TOO_MANY);
    }
}
