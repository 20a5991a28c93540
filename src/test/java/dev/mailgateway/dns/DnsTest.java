package dev.mailgateway.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.mailgateway.dns.DnsAnswer.Status;
import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.LogLines;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The shared asynchronous resolver against a DNS server on loopback. */
class DnsTest {

    /** Generous: the server on loopback answers at once, unless the machine is very busy. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Generous: a stage is due within the resolver's timeout; this only keeps a broken one from hanging. */
    private static DnsAnswer await(CompletionStage<DnsAnswer> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void foundAnswersCarryTheirRecordsAndAddresses() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            server.a("host.example.test", "192.0.2.1").a("host.example.test", "2001:db8::1")
                    .mx("example.test", 10, "host.example.test").txt("example.test", "v=spf1 -all");
            DnsAnswer a = await(dns.query("host.example.test", Type.A));
            assertThat(a.status()).isEqualTo(Status.FOUND);
            assertThat(a.error()).isNull();
            assertThat(a.addresses()).containsExactly(InetAddress.getByName("192.0.2.1"));
            assertThat(await(dns.query("host.example.test.", Type.AAAA)).addresses())
                    .containsExactly(InetAddress.getByName("2001:db8::1"));
            assertThat(await(dns.query("example.test", Type.MX)).records()).singleElement()
                    .satisfies(r -> assertThat(((MXRecord) r).getTarget().toString()).isEqualTo("host.example.test."));
            assertThat(await(dns.query("example.test", Type.TXT)).records()).singleElement()
                    .satisfies(r -> assertThat(((TXTRecord) r).getStrings()).containsExactly("v=spf1 -all"));
        }
    }

    @Test
    void aliasesAreFollowedToTheRecordsAsked() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            server.cname("www.example.test", "host.example.test").a("host.example.test", "192.0.2.2");
            DnsAnswer answer = await(dns.query("www.example.test", Type.A));
            assertThat(answer.status()).isEqualTo(Status.FOUND);
            assertThat(answer.records()).extracting(r -> r.getType()).containsExactly(Type.A);
            assertThat(answer.addresses()).containsExactly(InetAddress.getByName("192.0.2.2"));
        }
    }

    @Test
    void unknownNameIsNxdomain() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            DnsAnswer answer = await(dns.query("nowhere.test", Type.A));
            assertThat(answer.status()).isEqualTo(Status.NXDOMAIN);
            assertThat(answer.isNegative()).isTrue();
            assertThat(answer.records()).isEmpty();
        }
    }

    @Test
    void nameWithoutRecordsOfTheTypeAskedIsNodata() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            server.a("plain.test", "192.0.2.7");
            assertThat(await(dns.query("plain.test", Type.MX)).status()).isEqualTo(Status.NODATA);
            assertThat(await(dns.query("plain.test", Type.MX)).status()).isEqualTo(Status.NODATA); // from the cache
        }
    }

    @Test
    void serverFailureIsAnAnswerAndIsNotCached() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            server.a("flaky.test", "192.0.2.3").servfail("flaky.test", 1);
            DnsAnswer failed = await(dns.query("flaky.test", Type.A));
            assertThat(failed.status()).isEqualTo(Status.SERVFAIL);
            assertThat(failed.isFailure()).isTrue();
            assertThat(await(dns.query("flaky.test", Type.A)).status()).isEqualTo(Status.FOUND);
        }
    }

    @Test
    void aQueryNobodyAnswersTimesOut() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), Duration.ofMillis(300))) {
            server.a("silent.test", "192.0.2.4").drop("silent.test");
            DnsAnswer answer = await(dns.query("silent.test", Type.A));
            assertThat(answer.status()).isEqualTo(Status.TIMEOUT);
            assertThat(answer.isFailure()).isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> server.timesAsked("silent.test/A") == 1);
        }
    }

    @Test
    void answersAndNegativeAnswersAreCachedForTheirTtl() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            server.a("cached.test", "192.0.2.5").negativeTtl(300);
            await(dns.query("cached.test", Type.A));
            await(dns.query("missing.test", Type.A));
            assertThat(await(dns.query("cached.test", Type.A)).addresses())
                    .containsExactly(InetAddress.getByName("192.0.2.5"));
            assertThat(await(dns.query("missing.test", Type.A)).status()).isEqualTo(Status.NXDOMAIN);
            assertThat(server.timesAsked("cached.test/A")).isEqualTo(1);
            assertThat(server.timesAsked("missing.test/A")).isEqualTo(1);
        }
    }

    @Test
    void concurrentIdenticalQueriesShareOneLookup() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), Duration.ofSeconds(2))) {
            server.drop("slow.test"); // unanswered: both queries are still in flight together, and nothing is cached
            CompletionStage<DnsAnswer> first = dns.query("slow.test", Type.A);
            CompletionStage<DnsAnswer> second = dns.query("slow.test", Type.A);
            second.toCompletableFuture().complete(DnsAnswer.none(Status.ERROR, "a caller's own business"));
            assertThat(await(first).status()).isEqualTo(Status.TIMEOUT);
            assertThat(server.timesAsked("slow.test/A")).isEqualTo(1);
        }
    }

    @Test
    void namesAreAbsoluteAndNeverFromTheHostsFile() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            assertThat(await(dns.query("localhost", Type.A)).status()).isEqualTo(Status.NXDOMAIN);
            assertThat(server.queries()).containsExactly("localhost/A");
        }
    }

    @Test
    void aNameDnsCannotCarryIsAnErrorWithoutAQuery() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            String tooLong = ("a".repeat(60) + ".").repeat(5) + "test";
            assertThat(Dns.canQuery(tooLong)).isFalse();
            assertThat(Dns.canQuery("a".repeat(64) + ".test")).isFalse();
            assertThat(Dns.canQuery("a..test")).isFalse();
            assertThat(Dns.canQuery("")).isFalse();
            assertThat(Dns.canQuery("mx.example.test")).isTrue();
            assertThat(await(dns.query(tooLong, Type.A)).status()).isEqualTo(Status.ERROR);
            assertThat(server.queries()).isEmpty();
        }
    }

    @Test
    void aClosedResolverAnswersError() throws Exception {
        try (DnsServer server = DnsServer.start()) {
            Dns dns = Dns.create(server.address(), TIMEOUT);
            server.drop("pending.test");
            CompletionStage<DnsAnswer> pending = dns.query("pending.test", Type.A);
            dns.close();
            assertThat(await(pending).status()).isEqualTo(Status.ERROR);
            assertThat(await(dns.query("later.test", Type.A)).status()).isEqualTo(Status.ERROR);
        }
    }

    @Test
    void oneSharedResolverPerCamelContextClosedWithIt() throws Exception {
        try (DnsServer server = DnsServer.start(); LogLines log = new LogLines(Dns.class.getName())) {
            server.a("shared.test", "192.0.2.8");
            CamelContext context = new DefaultCamelContext();
            context.start();
            Dns dns = Dns.shared(context, server.address(), TIMEOUT);
            assertThat(Dns.shared(context, server.address(), TIMEOUT)).isSameAs(dns);
            assertThat(log.lines(Level.WARN)).isEmpty();
            assertThat(Dns.shared(context, "127.0.0.1:1", Duration.ofSeconds(9))).isSameAs(dns);
            assertThat(log.lines(Level.WARN)).singleElement().asString().contains("127.0.0.1:1", server.address());
            assertThat(context.getRegistry().lookupByName(Dns.REGISTRY_NAME)).isSameAs(dns);
            assertThat(await(dns.query("shared.test", Type.A)).status()).isEqualTo(Status.FOUND);
            context.stop();
            assertThat(await(dns.query("shared.test", Type.A)).status()).isEqualTo(Status.ERROR);
        }
    }

    @Test
    void serverSettingIsHostAndOptionalPort() {
        assertThat(ResolverSettings.parse("127.0.0.1:5353")).isEqualTo(InetSocketAddress.createUnresolved("127.0.0.1", 5353));
        assertThat(ResolverSettings.parse(" dns.example ")).isEqualTo(InetSocketAddress.createUnresolved("dns.example", 53));
        assertThat(ResolverSettings.parse("[::1]:5353")).isEqualTo(InetSocketAddress.createUnresolved("::1", 5353));
        assertThat(ResolverSettings.parse("2001:db8::53")).isEqualTo(InetSocketAddress.createUnresolved("2001:db8::53", 53));
        assertThatThrownBy(() -> Dns.create("127.0.0.1:x", TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dns.create("127.0.0.1:70000", TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dns.create("127.0.0.1", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
