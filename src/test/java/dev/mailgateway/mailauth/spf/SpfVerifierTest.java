package dev.mailgateway.mailauth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.mailauth.spf.SpfResult.Result;
import dev.mailgateway.testing.DnsServer;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** What the RFC 7208 suite does not pin down: limits and deadline, DNS failures, identities, macros of exp= text. */
class SpfVerifierTest {

    /** Generous: the server on loopback answers at once, unless the machine is very busy. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final InetAddress CLIENT = address("192.0.2.9");

    private static SpfResult await(CompletionStage<SpfResult> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no resolver asked
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void twoVoidLookupsAreAllowedAndTheThirdIsAPermerror() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            server.a("a-only.example.test", "192.0.2.1") // no MX: NODATA, void as NXDOMAIN is
                    .a("found.example.test", "192.0.2.2")
                    .txt("two.example.test", "v=spf1 a:found.example.test a:nx.example.test"
                            + " mx:a-only.example.test a:found.example.test -all")
                    .txt("three.example.test", "v=spf1 a:nx.example.test mx:a-only.example.test"
                            + " exists:nx2.example.test -all");
            SpfVerifier spf = new SpfVerifier(dns, "mx.gateway.test");
            assertThat(await(spf.checkMailFrom(CLIENT, "helo.test", "a@two.example.test")).result())
                    .isEqualTo(Result.FAIL);
            SpfResult three = await(spf.checkMailFrom(CLIENT, "helo.test", "a@three.example.test"));
            assertThat(three.result()).isEqualTo(Result.PERMERROR);
            assertThat(three.problem()).contains("found nothing");
        }
    }

    @Test
    void aCheckStillRunningAtItsDeadlineIsATemperrorAndAsksNoMore() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), Duration.ofSeconds(2))) {
            // a PTR lookup that fails is no match (§5.5): evaluation would go on to the next term once it times out
            server.drop("9.2.0.192.in-addr.arpa")
                    .txt("example.test", "v=spf1 ptr exists:later.example.test -all");
            SpfVerifier spf = new SpfVerifier(dns, "mx.gateway.test", Duration.ofMillis(300), "denied");
            long start = System.nanoTime();
            SpfResult result = await(spf.checkMailFrom(CLIENT, "helo.test", "a@example.test"));
            assertThat(result.result()).isEqualTo(Result.TEMPERROR);
            assertThat(result.problem()).contains("deadline");
            // before the resolver's own timeout would have decided
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1900));
            // when the PTR lookup's timeout comes, the cut-short check goes no further
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> server.timesAsked("later.example.test/A") == 0);
        }
    }

    @Test
    void aHeloThatIsNoDomainIsNoneWithoutAQuery() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            SpfVerifier spf = new SpfVerifier(dns, "mx.gateway.test");
            for (String helo : new String[] {"[192.0.2.9]", "[IPv6:2001:db8::9]", "192.0.2.9", "localhost", "", null}) {
                SpfResult result = await(spf.checkHelo(CLIENT, helo));
                assertThat(result.result()).as(helo).isEqualTo(Result.NONE);
                assertThat(result.identity()).isEqualTo("helo");
            }
            assertThat(server.queries()).isEmpty();
        }
    }

    @Test
    void theHeloIdentityIsCheckedAgainstTheHeloNamesRecord() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            server.txt("mail.example.test", "v=spf1 a -all").a("mail.example.test", "192.0.2.9");
            SpfResult result = await(new SpfVerifier(dns, "mx.gateway.test").checkHelo(CLIENT, "Mail.Example.Test."));
            assertThat(result).isEqualTo(new SpfResult(Result.PASS, "helo", "Mail.Example.Test", null, null));
        }
    }

    @Test
    void aNullSenderChecksPostmasterAtTheHelo() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            server.txt("mail.example.test", "v=spf1 -all exp=why.example.test").txt("why.example.test", "%{s} (%{l})");
            SpfVerifier spf = new SpfVerifier(dns, "mx.gateway.test");
            for (String sender : new String[] {"", "<>", null}) {
                SpfResult result = await(spf.checkMailFrom(CLIENT, "mail.example.test", sender));
                assertThat(result).isEqualTo(new SpfResult(Result.FAIL, "mailfrom", "mail.example.test",
                        "postmaster@mail.example.test (postmaster)", null));
            }
        }
    }

    @Test
    void serverFailuresAreTemperrorsExceptForTheClientsPtrRecords() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            server.servfail("broken.example.test", 1000)
                    .txt("a.example.test", "v=spf1 a:broken.example.test -all")
                    .txt("ptr.example.test", "v=spf1 ptr -all")
                    .servfail("9.2.0.192.in-addr.arpa", 1000);
            SpfVerifier spf = new SpfVerifier(dns, "mx.gateway.test");
            SpfResult record = await(spf.checkMailFrom(CLIENT, "helo.test", "a@broken.example.test"));
            assertThat(record.result()).isEqualTo(Result.TEMPERROR);
            assertThat(record.problem()).contains("SERVFAIL", "TXT", "broken.example.test");
            assertThat(await(spf.checkMailFrom(CLIENT, "helo.test", "a@a.example.test")).result())
                    .isEqualTo(Result.TEMPERROR);
            // RFC 7208 §5.5: a DNS error on the PTR lookup is no match
            assertThat(await(spf.checkMailFrom(CLIENT, "helo.test", "a@ptr.example.test")).result())
                    .isEqualTo(Result.FAIL);
        }
    }

    @Test
    void anIpv4MappedClientIsCheckedAsIpv4() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            server.txt("example.test", "v=spf1 -ip6:::ffff:0:0/96 ip4:192.0.2.9 -all exp=why.example.test")
                    .txt("why.example.test", "%{i} %{v}");
            byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 192, 0, 2, 9};
            InetAddress client = Inet6Address.getByAddress(null, mapped, -1);
            assertThat(client).isInstanceOf(Inet6Address.class);
            SpfVerifier spf = new SpfVerifier(dns, "mx.gateway.test");
            assertThat(await(spf.checkMailFrom(client, "helo.test", "a@example.test")).result())
                    .isEqualTo(Result.PASS);
            mapped[15] = 10;
            assertThat(await(spf.checkMailFrom(Inet6Address.getByAddress(null, mapped, -1), "helo.test",
                    "a@example.test")).explanation()).isEqualTo("192.0.2.10 in-addr");
        }
    }

    @Test
    void explanationsExpandTheMacrosOnlyTheyMayUse() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            server.txt("example.test", "v=spf1 -all exp=why.%{d}")
                    .txt("why.example.test", "%{c} to %{r} at %{t}: %{ir}.%{v}.arpa %{L}");
            Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);
            SpfVerifier spf = new SpfVerifier(dns, "mx.gateway.test", Duration.ofSeconds(20), "-", clock);
            SpfResult result = await(spf.checkMailFrom(address("2001:db8:0:0:1:0:0:1"), "helo.test",
                    "a b@example.test"));
            assertThat(result.explanation()).isEqualTo("2001:db8::1:0:0:1 to mx.gateway.test at 1700000000: "
                    + "1.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa a%20b");
        }
    }

    @Test
    void theDefaultExplanationNamesTheDomainAndTheClient() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            server.txt("example.test", "v=spf1 ~all").txt("strict.example.test", "v=spf1 -all");
            SpfVerifier spf = new SpfVerifier(dns, "mx.gateway.test");
            assertThat(await(spf.checkMailFrom(CLIENT, "helo.test", "a@strict.example.test")).explanation())
                    .isEqualTo("strict.example.test does not designate 192.0.2.9 as permitted sender");
            // explanations are for fail only
            assertThat(await(spf.checkMailFrom(CLIENT, "helo.test", "a@example.test")))
                    .isEqualTo(new SpfResult(Result.SOFTFAIL, "mailfrom", "example.test", null, null));
        }
    }

    @Test
    void anInternationalisedDomainIsAskedForAsItsALabel() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            server.txt("xn--bcher-kva.example.test", "v=spf1 ip4:192.0.2.0/24 -all");
            SpfResult result = await(new SpfVerifier(dns, "mx.gateway.test")
                    .checkMailFrom(CLIENT, "helo.test", "anna@bücher.example.test"));
            assertThat(result.result()).isEqualTo(Result.PASS);
            assertThat(result.domain()).isEqualTo("xn--bcher-kva.example.test");
        }
    }

    @Test
    void aClosedResolverGivesATemperrorNotAnException() throws Exception {
        try (DnsServer server = DnsServer.start(); Dns dns = Dns.create(server.address(), TIMEOUT)) {
            dns.close();
            SpfResult result = await(new SpfVerifier(dns, "mx.gateway.test")
                    .checkMailFrom(CLIENT, "helo.test", "a@example.test"));
            assertThat(result.result()).isEqualTo(Result.TEMPERROR);
            assertThat(result.problem()).contains("closed");
        }
    }
}
