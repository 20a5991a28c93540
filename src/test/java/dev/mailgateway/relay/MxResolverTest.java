package dev.mailgateway.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.DnsServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** MX resolution against a DNS server on loopback. */
class MxResolverTest {

    private static MxResolver resolver(DnsServer dns) throws Exception {
        return new MxResolver(dns.address(), Duration.ofSeconds(2));
    }

    private static List<String> names(MxResolver.Answer answer) {
        return answer.hosts().stream().map(MxResolver.MxHost::name).toList();
    }

    @Test
    void mxHostsInPreferenceOrderWithTheirAddresses() throws Exception {
        try (DnsServer dns = DnsServer.start()) {
            dns.mx("example.test", 20, "backup.example.test").mx("example.test", 10, "mx1.example.test")
                    .a("mx1.example.test", "192.0.2.1").a("mx1.example.test", "2001:db8::1")
                    .a("backup.example.test", "192.0.2.2");
            MxResolver.Answer answer = resolver(dns).resolve("example.test");
            assertThat(answer.failure()).isNull();
            assertThat(names(answer)).containsExactly("mx1.example.test", "backup.example.test");
            assertThat(answer.hosts().get(0).addresses()).extracting(a -> a.getHostAddress())
                    .containsExactly("192.0.2.1", "2001:db8:0:0:0:0:0:1");
        }
    }

    @Test
    void equalPreferencesAreShuffled() throws Exception {
        try (DnsServer dns = DnsServer.start()) {
            for (int i = 0; i < 4; i++) {
                dns.mx("even.test", 10, "mx" + i + ".even.test").a("mx" + i + ".even.test", "192.0.2." + (i + 1));
            }
            dns.mx("even.test", 5, "first.even.test").a("first.even.test", "192.0.2.9");
            MxResolver resolver = resolver(dns);
            Set<String> seconds = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                List<String> order = names(resolver.resolve("even.test"));
                assertThat(order.get(0)).isEqualTo("first.even.test");
                seconds.add(order.get(1));
            }
            assertThat(seconds).hasSizeGreaterThan(1);
        }
    }

    @Test
    void noMxMeansTheDomainItself() throws Exception {
        try (DnsServer dns = DnsServer.start()) {
            dns.a("plain.test", "192.0.2.7");
            MxResolver.Answer answer = resolver(dns).resolve("plain.test");
            assertThat(names(answer)).containsExactly("plain.test");
        }
    }

    @Test
    void nullMxIsAPermanentFailure() throws Exception {
        try (DnsServer dns = DnsServer.start()) {
            dns.mx("nomail.test", 0, ".");
            MxResolver.Answer answer = resolver(dns).resolve("nomail.test");
            assertThat(answer.failure().code()).isEqualTo(550);
            assertThat(answer.failure().dsnStatus()).isEqualTo("5.1.10");
        }
    }

    @Test
    void unknownDomainIsAPermanentFailure() throws Exception {
        try (DnsServer dns = DnsServer.start()) {
            MxResolver.Answer answer = resolver(dns).resolve("nowhere.test");
            assertThat(answer.failure().dsnStatus()).isEqualTo("5.1.2");
        }
    }

    @Test
    void serverFailureIsTemporaryAndTheNextLookupSucceeds() throws Exception {
        try (DnsServer dns = DnsServer.start()) {
            dns.mx("flaky.test", 10, "mx.flaky.test").a("mx.flaky.test", "192.0.2.3").servfail("flaky.test", 1);
            MxResolver resolver = resolver(dns);
            MxResolver.Answer first = resolver.resolve("flaky.test");
            assertThat(first.failure().code()).isEqualTo(451);
            assertThat(first.failure().status()).isEqualTo("4.4.3");
            assertThat(names(resolver.resolve("flaky.test"))).containsExactly("mx.flaky.test");
        }
    }

    @Test
    void mxHostWithoutAddressIsSkipped() throws Exception {
        try (DnsServer dns = DnsServer.start()) {
            dns.mx("half.test", 10, "gone.half.test").mx("half.test", 20, "mx.half.test").a("mx.half.test", "192.0.2.4");
            assertThat(names(resolver(dns).resolve("half.test"))).containsExactly("mx.half.test");
        }
    }

    @Test
    void mailHostsWithoutAnyAddressArePermanentFailure() throws Exception {
        try (DnsServer dns = DnsServer.start()) {
            dns.mx("none.test", 10, "gone.none.test");
            RemoteReply failure = resolver(dns).resolve("none.test").failure();
            assertThat(failure.code()).isEqualTo(550);
            assertThat(failure.status()).isEqualTo("5.4.4");
        }
    }

    @Test
    void addressLookupFailureOfTheMailHostIsTemporary() throws Exception {
        try (DnsServer dns = DnsServer.start()) {
            dns.mx("later.test", 10, "mx.later.test").a("mx.later.test", "192.0.2.6").servfail("mx.later.test", 10);
            RemoteReply failure = resolver(dns).resolve("later.test").failure();
            assertThat(failure.code()).isEqualTo(451);
            assertThat(failure.status()).isEqualTo("4.4.3");
        }
    }

    @Test
    void addressLiteralsAreTheirOwnMailHostWithoutDns() throws Exception {
        try (DnsServer dns = DnsServer.start()) {
            MxResolver resolver = resolver(dns);
            assertThat(resolver.resolve("[192.0.2.7]").hosts()).singleElement()
                    .satisfies(h -> assertThat(h.addresses()).containsExactly(InetAddress.getByName("192.0.2.7")));
            assertThat(resolver.resolve("[ipv6:2001:db8::1]").hosts()).singleElement()
                    .satisfies(h -> assertThat(h.addresses()).containsExactly(InetAddress.getByName("2001:db8::1")));
            assertThat(resolver.resolve("[999.0.0.1]").failure().status()).isEqualTo("5.1.2");
            assertThat(dns.queries()).isEmpty();
        }
    }

    @Test
    void aNameDnsCannotCarryIsAPermanentFailure() throws Exception {
        try (DnsServer dns = DnsServer.start()) {
            String tooLong = ("a".repeat(60) + ".").repeat(5) + "test";
            assertThat(resolver(dns).resolve(tooLong).failure().status()).isEqualTo("5.1.2");
        }
    }

    @Test
    void answersAreCached() throws Exception {
        try (DnsServer dns = DnsServer.start()) {
            dns.mx("cached.test", 10, "mx.cached.test").a("mx.cached.test", "192.0.2.5");
            MxResolver resolver = resolver(dns);
            resolver.resolve("cached.test");
            dns.servfail("cached.test", 5); // the server fails from now on; the cache still answers
            assertThat(names(resolver.resolve("cached.test"))).containsExactly("mx.cached.test");
        }
    }
}
