package dev.mailgateway.policy.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.mailgateway.dns.Dns;
import dev.mailgateway.testing.DnsServer;
import dev.mailgateway.testing.LogLines;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** DNS list scoring (Postfix's postscreen_dnsbl_sites) against a DNS server on loopback. */
class DnsListSitesTest {

    private DnsServer server;
    private Dns dns;

    @BeforeEach
    void start() throws Exception {
        server = DnsServer.start();
        dns = Dns.create(server.address(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        dns.close();
        server.close();
    }

    /** Generous: an evaluation is due within the resolver's timeout; this only keeps a broken one from hanging. */
    private static ListScore await(CompletionStage<ListScore> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private ListScore client(String sites, String client) throws Exception {
        return await(DnsListSites.parse(sites).client(dns, InetAddress.getByName(client)));
    }

    private static byte[] ip(String address) throws Exception {
        return InetAddress.getByName(address).getAddress();
    }

    @Test
    void entriesAreDomainPatternAndWeightAsInPostfix() throws Exception {
        DnsListSite ranged = DnsListSite.parse("Zen.Test.=127.0.0.[2..11]*3");
        assertThat(ranged.domain()).isEqualTo("zen.test");
        assertThat(ranged.weight()).isEqualTo(3);
        assertThat(ranged.matches(ip("127.0.0.2"))).isTrue();
        assertThat(ranged.matches(ip("127.0.0.11"))).isTrue();
        assertThat(ranged.matches(ip("127.0.0.1"))).isFalse();
        assertThat(ranged.matches(ip("127.0.0.12"))).isFalse();
        assertThat(ranged.matches(ip("127.0.1.2"))).isFalse();

        DnsListSite listed = DnsListSite.parse("bl.test=127.[0;1].0.[2;4;9..10]");
        assertThat(listed.weight()).isEqualTo(1);
        assertThat(listed.matches(ip("127.1.0.4"))).isTrue();
        assertThat(listed.matches(ip("127.0.0.10"))).isTrue();
        assertThat(listed.matches(ip("127.0.0.3"))).isFalse();
        assertThat(listed.matches(ip("127.2.0.4"))).isFalse();

        DnsListSite allow = DnsListSite.parse("wl.test=127.0.[0..255].[1..3]*-2");
        assertThat(allow.weight()).isEqualTo(-2);
        assertThat(allow.matches(ip("127.0.15.3"))).isTrue();
        assertThat(DnsListSite.parse("plus.test*+4").weight()).isEqualTo(4);

        DnsListSite any = DnsListSite.parse("any.test");
        assertThat(any.pattern()).isNull();
        assertThat(any.matches(ip("127.0.0.2"))).isTrue();
        assertThat(any.matches(ip("127.1.2.3"))).isTrue();
        assertThat(any.matches(ip("192.0.2.1"))).as("outside 127.0.0.0/8").isFalse();

        assertThat(DnsListSites.parse("zen.test=127.0.0.[2..11]*3,bl.test*2 \n wl.test=127.0.[0..255].[1..3]*-2 , ")
                .isEmpty()).isFalse();
    }

    @Test
    void badEntriesAreRefusedByName() {
        for (String bad : List.of("zen.test=127.0.0", "zen.test=127.0.0.256", "zen.test=127.0.0.[5..2]",
                "zen.test=127.0.0.[2..", "zen.test=127.0.0.[]", "zen.test=127.0.0.[2;;3]", "zen.test=",
                "zen.test=127.0.0.2.5", "zen.test=127.0.0.x", "zen.test*", "zen.test*x", "zen.test*1*2",
                "zen.test*1.5", "=127.0.0.2", "*2", "zen..test", "zen test=127.0.0.2=1", "zen.test/24")) {
            String entry = bad.split(" ")[bad.contains(" ") ? 1 : 0];
            assertThatThrownBy(() -> DnsListSites.parse("ok.test, " + bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + entry + "'");
        }
    }

    @Test
    void noSitesScoreNothingWithoutAQuery() throws Exception {
        assertThat(DnsListSites.parse("").isEmpty()).isTrue();
        assertThat(DnsListSites.parse(null).isEmpty()).isTrue();
        assertThat(DnsListSites.parse(" , ").isEmpty()).isTrue();
        assertThat(client("", "192.0.2.1")).isEqualTo(ListScore.NONE);
        assertThat(await(DnsListSites.parse("").domain(dns, "example.test"))).isEqualTo(ListScore.NONE);
        assertThat(server.queries()).isEmpty();
    }

    @Test
    void listedClientScoresTheWeightOfItsList() throws Exception {
        server.listed("zen.test", "192.0.2.1", "127.0.0.2");
        ListScore score = client("zen.test*3", "192.0.2.1");
        assertThat(score.score()).isEqualTo(3);
        assertThat(score.hits()).containsExactly(new ListScore.Hit("zen.test", "127.0.0.2", 3));
        assertThat(score.listing()).contains(new ListScore.Hit("zen.test", "127.0.0.2", 3));
        assertThat(server.timesAsked("1.2.0.192.zen.test/A")).isEqualTo(1);
    }

    @Test
    void unlistedClientScoresZero() throws Exception {
        server.listed("zen.test", "192.0.2.1", "127.0.0.2");
        ListScore score = client("zen.test*3", "192.0.2.99");
        assertThat(score).isEqualTo(ListScore.NONE);
        assertThat(score.listing()).isEmpty();
        assertThat(server.queries()).containsExactly("99.2.0.192.zen.test/A");
    }

    @Test
    void allowlistWeightCancelsAListing() throws Exception {
        server.listed("zen.test", "192.0.2.1", "127.0.0.2").listed("wl.test", "192.0.2.1", "127.0.10.2");
        ListScore score = client("zen.test*2 wl.test=127.0.[0..255].[1..3]*-2", "192.0.2.1");
        assertThat(score.score()).isZero();
        assertThat(score.hits()).extracting(ListScore.Hit::list).containsExactly("zen.test", "wl.test");
        assertThat(score.listing()).map(ListScore.Hit::list).contains("zen.test");
    }

    @Test
    void answersThePatternDoesNotMatchScoreZero() throws Exception {
        server.listed("zen.test", "192.0.2.1", "127.0.0.2").listed("odd.test", "192.0.2.1", "192.0.2.9");
        assertThat(client("zen.test=127.0.0.[10..11]*5", "192.0.2.1").score()).isZero();
        assertThat(client("odd.test", "192.0.2.1").score()).as("no pattern: 127.0.0.0/8 only").isZero();
    }

    @Test
    void anEntryCountsOnceAndAnEntryGivenTwiceCountsTwice() throws Exception {
        server.listed("zen.test", "192.0.2.1", "127.0.0.2", "127.0.0.3", "127.0.0.4");
        ListScore score = client("zen.test=127.0.0.[2..4]*2, zen.test=127.0.0.3*5", "192.0.2.1");
        assertThat(score.score()).isEqualTo(7);
        assertThat(score.hits()).containsExactly(new ListScore.Hit("zen.test", "127.0.0.2", 2),
                new ListScore.Hit("zen.test", "127.0.0.3", 5));
        assertThat(score.listing()).map(ListScore.Hit::weight).contains(5);
        assertThat(server.timesAsked("1.2.0.192.zen.test/A")).as("one question for both entries").isEqualTo(1);
    }

    @Test
    void operatorErrorCodesAreNeverListingsAndAreLoggedOnceAMinute() throws Exception {
        server.listed("zen.test", "192.0.2.1", "127.255.255.254")
                .listed("mixed.test", "192.0.2.1", "127.255.255.252", "127.0.0.2");
        DnsListSites sites = DnsListSites.parse("zen.test*5, zen.test=127.[0..255].[0..255].[0..255]*5, mixed.test");
        try (LogLines log = new LogLines(DnsListSites.class.getName())) {
            for (int i = 0; i < 2; i++) {
                ListScore score = await(sites.client(dns, InetAddress.getByName("192.0.2.1")));
                assertThat(score.score()).isEqualTo(1);
                assertThat(score.hits()).containsExactly(new ListScore.Hit("mixed.test", "127.0.0.2", 1));
            }
            assertThat(log.lines(Level.WARN)).hasSize(2).anySatisfy(line -> assertThat(line)
                    .contains("zen.test", "127.255.255.254")).anySatisfy(line -> assertThat(line)
                    .contains("mixed.test", "127.255.255.252"));
        }
    }

    @Test
    void listsThatFailOrDoNotAnswerScoreNothingAndTheEvaluationCompletes() throws Exception {
        try (Dns quick = Dns.create(server.address(), Duration.ofMillis(300));
                LogLines log = new LogLines(DnsListSites.class.getName())) {
            server.listed("zen.test", "192.0.2.1", "127.0.0.2").listed("broken.test", "192.0.2.1", "127.0.0.2")
                    .listed("silent.test", "192.0.2.1", "127.0.0.2")
                    .servfail("1.2.0.192.broken.test", 100).drop("1.2.0.192.silent.test");
            DnsListSites sites = DnsListSites.parse("zen.test*2 broken.test*4 silent.test*8");
            // the listing that answers comes from the cache: a busy machine may take longer than 300 ms to ask
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> quick.query("1.2.0.192.zen.test", Type.A)
                    .toCompletableFuture().get().isFound());
            for (int i = 0; i < 2; i++) {
                ListScore score = await(sites.client(quick, InetAddress.getByName("192.0.2.1")));
                assertThat(score.score()).isEqualTo(2);
                assertThat(score.hits()).extracting(ListScore.Hit::list).containsExactly("zen.test");
            }
            assertThat(server.timesAsked("1.2.0.192.broken.test/A")).as("failures are not cached").isEqualTo(2);
            assertThat(log.lines(Level.WARN)).hasSize(2).anySatisfy(line -> assertThat(line)
                    .contains("broken.test", "SERVFAIL")).anySatisfy(line -> assertThat(line)
                    .contains("silent.test", "TIMEOUT"));
        }
    }

    @Test
    void ipv6ClientsAreAskedByTheirReversedNibbles() throws Exception {
        server.a("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.zen.test", "127.0.0.2");
        assertThat(client("zen.test", "2001:db8:1:2:3:4:567:89ab").score()).isEqualTo(1);
        server.listed("zen.test", "2001:db8::1", "127.0.0.3");
        assertThat(client("zen.test", "2001:db8::1").hits()).extracting(ListScore.Hit::answer).containsExactly("127.0.0.3");
    }

    @Test
    void ipv4MappedClientsAreAskedAsIpv4() throws Exception {
        server.listed("zen.test", "192.0.2.1", "127.0.0.2");
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 192, 0, 2, 1};
        InetAddress client = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(await(DnsListSites.parse("zen.test").client(dns, client)).score()).isEqualTo(1);
        assertThat(server.queries()).containsExactly("1.2.0.192.zen.test/A");
    }

    @Test
    void domainsAreAskedUnderTheListRhsbl() throws Exception {
        server.a("bad.example.dbl.test", "127.0.1.2");
        DnsListSites sites = DnsListSites.parse("dbl.test=127.0.1.[2..99]*4");
        assertThat(await(sites.domain(dns, "Bad.Example.")).score()).isEqualTo(4);
        assertThat(await(sites.domain(dns, "good.example")).score()).isZero();
        assertThat(server.queries()).containsExactlyInAnyOrder("bad.example.dbl.test/A", "good.example.dbl.test/A");
    }

    @Test
    void namesThatCannotBeAskedScoreZeroWithoutAQuery() throws Exception {
        DnsListSites sites = DnsListSites.parse("dbl.test");
        String fits = ("a".repeat(61) + ".").repeat(4); // a name DNS carries, but not with ".dbl.test" after it
        java.util.Arrays.asList(null, "", " ", ".", "[192.0.2.1]", "[IPv6:2001:db8::1]", "192.0.2.1", "2001:db8::1",
                "a..example", "bad domain.example", "a".repeat(64) + ".example", fits).forEach(name -> {
                    try {
                        assertThat(await(sites.domain(dns, name))).as(String.valueOf(name)).isEqualTo(ListScore.NONE);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
        assertThat(server.queries()).isEmpty();
    }

    @Test
    void theSameLookupsAreServedFromTheCache() throws Exception {
        server.listed("zen.test", "192.0.2.1", "127.0.0.2").negativeTtl(300);
        DnsListSites sites = DnsListSites.parse("zen.test*2, other.test");
        for (int i = 0; i < 2; i++) {
            assertThat(await(sites.client(dns, InetAddress.getByName("192.0.2.1"))).score()).isEqualTo(2);
        }
        assertThat(server.timesAsked("1.2.0.192.zen.test/A")).isEqualTo(1);
        assertThat(server.timesAsked("1.2.0.192.other.test/A")).as("NXDOMAIN, cached too").isEqualTo(1);
    }

    @Test
    void theListToNameIsTheHeaviestListing() {
        ListScore score = ListScore.of(List.of(new ListScore.Hit("a.test", "127.0.0.2", 2),
                new ListScore.Hit("wl.test", "127.0.0.2", -9), new ListScore.Hit("b.test", "127.0.0.3", 4),
                new ListScore.Hit("c.test", "127.0.0.4", 4)));
        assertThat(score.score()).isEqualTo(1);
        assertThat(score.listing()).map(ListScore.Hit::list).contains("b.test");
        assertThat(ListScore.of(List.of(new ListScore.Hit("wl.test", "127.0.0.2", -1))).listing()).isEmpty();
    }
}
