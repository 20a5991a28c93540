package dev.mailgateway.mailauth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.mailauth.dkim.DkimResult;
import dev.mailgateway.mailauth.dmarc.DmarcResult.Policy;
import dev.mailgateway.mailauth.dmarc.DmarcResult.Result;
import dev.mailgateway.mailauth.spf.SpfResult;
import dev.mailgateway.testing.DnsServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DMARC (RFC 7489) against a real DNS server on loopback. */
class DmarcVerifierTest {

    /** Generous: the server on loopback answers at once, unless the machine is very busy. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A pct= draw that is in the sample only at pct=100: the failing message always gets the lower policy. */
    private static final IntSupplier ALWAYS_SAMPLED_OUT = () -> 99;

    private DnsServer server;
    private Dns dns;

    @BeforeEach
    void start() throws Exception {
        server = DnsServer.start();
        dns = Dns.create(server.address(), TIMEOUT);
    }

    @AfterEach
    void stop() {
        dns.close();
        server.close();
    }

    private DmarcResult evaluate(List<String> from, SpfResult spf, DkimResult... dkim) throws Exception {
        return evaluate(new DmarcVerifier(dns, OrganizationalDomains.bundled(), ALWAYS_SAMPLED_OUT), from, spf, dkim);
    }

    /** Generous: a result is due within the resolver's timeout (twice); this only keeps a broken one from hanging. */
    private static DmarcResult evaluate(DmarcVerifier verifier, List<String> from, SpfResult spf, DkimResult... dkim)
            throws Exception {
        return verifier.evaluate(from, spf, Arrays.asList(dkim)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static SpfResult spf(SpfResult.Result result, String domain) {
        return new SpfResult(result, "mailfrom", domain, null, null);
    }

    private static DkimResult dkim(DkimResult.Result result, String domain) {
        return new DkimResult(result, domain, "sel", null, "rsa-sha256", "c2lnbmF0dXJl", false, null);
    }

    private static final SpfResult SPF_FAIL = spf(SpfResult.Result.FAIL, "example.test");

    @Test
    void rejectPolicyWithoutAlignedPassFailsWithReject() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=reject");

        DmarcResult result = evaluate(List.of("example.test"), SPF_FAIL, dkim(DkimResult.Result.FAIL, "example.test"));

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.fromDomain()).isEqualTo("example.test");
        assertThat(result.policy()).isEqualTo(Policy.REJECT);
        assertThat(result.disposition()).isEqualTo(Policy.REJECT);
        assertThat(result.spfAligned()).isFalse();
        assertThat(result.dkimAligned()).isFalse();
        assertThat(result.reason()).contains("no aligned pass", "p=reject");
    }

    @Test
    void quarantinePolicyQuarantinesFailingMessage() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=quarantine");

        DmarcResult result = evaluate(List.of("example.test"), SPF_FAIL);

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.policy()).isEqualTo(Policy.QUARANTINE);
        assertThat(result.disposition()).isEqualTo(Policy.QUARANTINE);
    }

    @Test
    void nonePolicyFailsWithoutDisposition() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=none; rua=mailto:reports@example.test");

        DmarcResult result = evaluate(List.of("example.test"), SPF_FAIL);

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.policy()).isEqualTo(Policy.NONE);
        assertThat(result.disposition()).isEqualTo(Policy.NONE);
    }

    @Test
    void rejectSampledOutByPctIsQuarantined() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=reject; pct=0");
        // draw 0 is in any sample of pct >= 1; pct=0 has none, whatever the draw
        DmarcVerifier verifier = new DmarcVerifier(dns, OrganizationalDomains.bundled(), () -> 0);

        DmarcResult result = evaluate(verifier, List.of("example.test"), SPF_FAIL);

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.policy()).isEqualTo(Policy.REJECT);
        assertThat(result.disposition()).isEqualTo(Policy.QUARANTINE);
        assertThat(result.reason()).contains("pct=0 sampled out");
    }

    @Test
    void quarantineSampledOutByPctIsDeliveredAsUsual() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=quarantine; pct=0");
        DmarcVerifier verifier = new DmarcVerifier(dns, OrganizationalDomains.bundled(), () -> 0);

        DmarcResult result = evaluate(verifier, List.of("example.test"), SPF_FAIL);

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.policy()).isEqualTo(Policy.QUARANTINE);
        assertThat(result.disposition()).isEqualTo(Policy.NONE);
    }

    @Test
    void pctSamplesWithTheDraw() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=reject; pct=50");

        DmarcResult inSample = evaluate(new DmarcVerifier(dns, OrganizationalDomains.bundled(), () -> 49),
                List.of("example.test"), SPF_FAIL);
        DmarcResult outOfSample = evaluate(new DmarcVerifier(dns, OrganizationalDomains.bundled(), () -> 50),
                List.of("example.test"), SPF_FAIL);

        assertThat(inSample.disposition()).isEqualTo(Policy.REJECT);
        assertThat(outOfSample.disposition()).isEqualTo(Policy.QUARANTINE);
    }

    @Test
    void subdomainPolicyAppliesToSubdomainFromWhenFoundAtOrganizationalDomain() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=none; sp=reject");

        DmarcResult subdomain = evaluate(List.of("mail.example.test"), SPF_FAIL);
        DmarcResult organization = evaluate(List.of("example.test"), SPF_FAIL);

        assertThat(subdomain.result()).isEqualTo(Result.FAIL);
        assertThat(subdomain.fromDomain()).isEqualTo("mail.example.test");
        assertThat(subdomain.policy()).isEqualTo(Policy.REJECT);
        assertThat(subdomain.disposition()).isEqualTo(Policy.REJECT);
        assertThat(subdomain.reason()).contains("sp=reject at _dmarc.example.test");
        assertThat(organization.policy()).isEqualTo(Policy.NONE);
        assertThat(organization.disposition()).isEqualTo(Policy.NONE);
    }

    @Test
    void subdomainWithItsOwnRecordUsesItsPolicyNotSp() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=none; sp=none")
                .txt("_dmarc.mail.example.test", "v=DMARC1; p=quarantine; sp=reject");

        DmarcResult result = evaluate(List.of("mail.example.test"), SPF_FAIL);

        assertThat(result.policy()).isEqualTo(Policy.QUARANTINE);
        assertThat(result.disposition()).isEqualTo(Policy.QUARANTINE);
        assertThat(server.queries()).doesNotContain("_dmarc.example.test/TXT");
    }

    @Test
    void subdomainWithoutSpGetsThePolicy() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=quarantine");

        assertThat(evaluate(List.of("a.b.example.test"), SPF_FAIL).disposition()).isEqualTo(Policy.QUARANTINE);
    }

    @Test
    void relaxedSpfAlignmentAcceptsTheSameOrganizationalDomain() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=reject");

        DmarcResult result = evaluate(List.of("example.test"), spf(SpfResult.Result.PASS, "mail.example.test"));

        assertThat(result.result()).isEqualTo(Result.PASS);
        assertThat(result.spfAligned()).isTrue();
        assertThat(result.policy()).isEqualTo(Policy.REJECT);
        assertThat(result.disposition()).isEqualTo(Policy.NONE);
    }

    @Test
    void strictSpfAlignmentNeedsTheSameDomain() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=reject; aspf=s");

        DmarcResult subdomain = evaluate(List.of("example.test"), spf(SpfResult.Result.PASS, "mail.example.test"));
        DmarcResult same = evaluate(List.of("example.test"), spf(SpfResult.Result.PASS, "Example.Test."));

        assertThat(subdomain.result()).isEqualTo(Result.FAIL);
        assertThat(subdomain.spfAligned()).isFalse();
        assertThat(subdomain.disposition()).isEqualTo(Policy.REJECT);
        assertThat(same.result()).isEqualTo(Result.PASS);
        assertThat(same.spfAligned()).isTrue();
    }

    @Test
    void relaxedDkimAlignmentAcceptsTheSameOrganizationalDomain() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=reject");

        DmarcResult result = evaluate(List.of("mail.example.test"), SPF_FAIL,
                dkim(DkimResult.Result.PASS, "example.test"));

        assertThat(result.result()).isEqualTo(Result.PASS);
        assertThat(result.dkimAligned()).isTrue();
    }

    @Test
    void strictDkimAlignmentNeedsTheSameDomain() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=reject; adkim=s");

        DmarcResult subdomain = evaluate(List.of("example.test"), SPF_FAIL,
                dkim(DkimResult.Result.PASS, "mail.example.test"));
        DmarcResult same = evaluate(List.of("example.test"), SPF_FAIL, dkim(DkimResult.Result.PASS, "EXAMPLE.test"));

        assertThat(subdomain.result()).isEqualTo(Result.FAIL);
        assertThat(subdomain.dkimAligned()).isFalse();
        assertThat(same.result()).isEqualTo(Result.PASS);
    }

    @Test
    void alignedDkimPassWinsOverSpfFail() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=reject");

        DmarcResult result = evaluate(List.of("example.test"), SPF_FAIL,
                dkim(DkimResult.Result.FAIL, "example.test"), dkim(DkimResult.Result.PASS, "example.test"));

        assertThat(result.result()).isEqualTo(Result.PASS);
        assertThat(result.spfAligned()).isFalse();
        assertThat(result.dkimAligned()).isTrue();
        assertThat(result.reason()).contains("aligned DKIM pass");
    }

    @Test
    void passesForOtherOrganizationsDoNotCount() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=reject");

        DmarcResult result = evaluate(List.of("example.test"), spf(SpfResult.Result.PASS, "bulk-mailer.test"),
                dkim(DkimResult.Result.PASS, "bulk-mailer.test"), dkim(DkimResult.Result.PASS, null));

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.disposition()).isEqualTo(Policy.REJECT);
    }

    @Test
    void noRecordAtAllIsNone() throws Exception {
        server.txt("example.test", "v=spf1 -all");

        DmarcResult result = evaluate(List.of("mail.example.test"), spf(SpfResult.Result.PASS, "mail.example.test"));

        assertThat(result.result()).isEqualTo(Result.NONE);
        assertThat(result.fromDomain()).isEqualTo("mail.example.test");
        assertThat(result.policy()).isEqualTo(Policy.NONE);
        assertThat(result.disposition()).isEqualTo(Policy.NONE);
        assertThat(result.spfAligned()).isTrue(); // as relaxed alignment sees it: for information
        assertThat(server.queries()).contains("_dmarc.mail.example.test/TXT", "_dmarc.example.test/TXT");
    }

    @Test
    void recordOnlyAtOrganizationalDomainIsFound() throws Exception {
        server.txt("_dmarc.example.co.uk", "v=DMARC1; p=reject");

        DmarcResult result = evaluate(List.of("a.b.example.co.uk"), spf(SpfResult.Result.FAIL, "a.b.example.co.uk"));

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.disposition()).isEqualTo(Policy.REJECT);
        assertThat(server.queries()).contains("_dmarc.a.b.example.co.uk/TXT", "_dmarc.example.co.uk/TXT")
                .doesNotContain("_dmarc.b.example.co.uk/TXT", "_dmarc.co.uk/TXT");
    }

    @Test
    void otherTextRecordsAreIgnoredAndStringsOfOneRecordJoined() throws Exception {
        server.txt("_dmarc.example.test", "v=spf1 -all")
                .txt("_dmarc.example.test", "p=reject; v=DMARC1")
                .txt("_dmarc.example.test", "v=DMARC1; p=", "quarantine");

        DmarcResult result = evaluate(List.of("example.test"), SPF_FAIL);

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.policy()).isEqualTo(Policy.QUARANTINE);
    }

    @Test
    void severalRecordsMeanNoPolicy() throws Exception {
        server.txt("_dmarc.mail.example.test", "v=DMARC1; p=reject")
                .txt("_dmarc.mail.example.test", "v=DMARC1; p=quarantine")
                .txt("_dmarc.example.test", "v=DMARC1; p=reject");

        DmarcResult result = evaluate(List.of("mail.example.test"), SPF_FAIL);

        assertThat(result.result()).isEqualTo(Result.NONE);
        assertThat(result.disposition()).isEqualTo(Policy.NONE);
        assertThat(result.reason()).contains("several DMARC records");
        // discovery ends there: the organizational domain's record is not asked for
        assertThat(server.queries()).doesNotContain("_dmarc.example.test/TXT");
    }

    @Test
    void invalidPolicyIsNoneWithReportAddressAndNoDmarcWithout() throws Exception {
        server.txt("_dmarc.reports.test", "v=DMARC1; p=bogus; rua=mailto:dmarc@reports.test")
                .txt("_dmarc.silent.test", "v=DMARC1; p=bogus");

        DmarcResult reports = evaluate(List.of("reports.test"), spf(SpfResult.Result.FAIL, "reports.test"));
        DmarcResult silent = evaluate(List.of("silent.test"), spf(SpfResult.Result.FAIL, "silent.test"));

        assertThat(reports.result()).isEqualTo(Result.FAIL);
        assertThat(reports.policy()).isEqualTo(Policy.NONE);
        assertThat(reports.disposition()).isEqualTo(Policy.NONE);
        assertThat(silent.result()).isEqualTo(Result.NONE);
        assertThat(silent.reason()).contains("invalid p=");
    }

    @Test
    void dnsTimeoutIsTemperror() throws Exception {
        server.drop("_dmarc.example.test");
        try (Dns impatient = Dns.create(server.address(), Duration.ofMillis(300))) {
            DmarcVerifier verifier = new DmarcVerifier(impatient, OrganizationalDomains.bundled());

            DmarcResult result = evaluate(verifier, List.of("example.test"), SPF_FAIL);

            assertThat(result.result()).isEqualTo(Result.TEMPERROR);
            assertThat(result.fromDomain()).isEqualTo("example.test");
            assertThat(result.disposition()).isEqualTo(Policy.NONE);
            assertThat(result.reason()).contains("_dmarc.example.test", "TIMEOUT");
        }
    }

    @Test
    void dnsFailureAtOrganizationalDomainIsTemperror() throws Exception {
        server.servfail("_dmarc.example.test", 100);

        DmarcResult result = evaluate(List.of("mail.example.test"), SPF_FAIL);

        assertThat(result.result()).isEqualTo(Result.TEMPERROR);
        assertThat(result.reason()).contains("_dmarc.example.test", "SERVFAIL");
    }

    @Test
    void fromDomainsDifferingAreEachCheckedAndTheStrictestFailingPolicyApplies() throws Exception {
        server.txt("_dmarc.one.test", "v=DMARC1; p=none").txt("_dmarc.two.test", "v=DMARC1; p=reject");
        List<String> from = FromDomains.of(header("From: alice@one.test, Bob <bob@two.test>, c@three.test"));
        DmarcVerifier always = new DmarcVerifier(dns, OrganizationalDomains.bundled(), () -> 0);

        DmarcResult result = evaluate(always, from, spf(SpfResult.Result.PASS, "one.test"));

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.fromDomain()).isEqualTo("two.test");
        assertThat(result.disposition()).isEqualTo(Policy.REJECT);
        assertThat(result.reason()).startsWith("From domains one.test, two.test, three.test");
    }

    @Test
    void fromDomainsThatAllPassPass() throws Exception {
        server.txt("_dmarc.one.test", "v=DMARC1; p=reject").txt("_dmarc.two.test", "v=DMARC1; p=reject");
        List<String> from = FromDomains.of(header("From: alice@one.test, bob@two.test"));

        DmarcResult result = evaluate(from, spf(SpfResult.Result.FAIL, "x.test"),
                new DkimResult(DkimResult.Result.PASS, "one.test", "s", null, "rsa-sha256", "b", false, null),
                new DkimResult(DkimResult.Result.PASS, "two.test", "s", null, "rsa-sha256", "b", false, null));

        assertThat(result.result()).isEqualTo(Result.PASS);
    }

    @Test
    void sameFromDomainTwiceIsEvaluated() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=reject");
        List<String> from = FromDomains.of(header("From: alice@example.test", "From: Bob <bob@EXAMPLE.test.>"));

        DmarcResult result = evaluate(from, SPF_FAIL);

        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.fromDomain()).isEqualTo("example.test");
        assertThat(result.disposition()).isEqualTo(Policy.REJECT);
    }

    @Test
    void noFromDomainIsPermerror() throws Exception {
        DmarcResult none = evaluate(FromDomains.of(header("Subject: no From")), SPF_FAIL);
        DmarcResult broken = evaluate(FromDomains.of(header("From: <ceo@bank.test")), SPF_FAIL);
        DmarcResult notADomain = evaluate(List.of("bad domain!"), SPF_FAIL);

        assertThat(none.result()).isEqualTo(Result.PERMERROR);
        assertThat(none.fromDomain()).isNull();
        assertThat(broken.result()).isEqualTo(Result.PERMERROR);
        assertThat(notADomain.result()).isEqualTo(Result.PERMERROR);
        assertThat(server.queries()).isEmpty();
    }

    @Test
    void displayNameCommentEncodedWordAndGroupLeadToTheRightPolicy() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=reject");
        byte[] header = header("From: =?utf-8?q?Bank_=3Cceo=40bank=2Etest=3E?= (ceo@bank.test)",
                " <alice@example.test>", "Sender: Team: carol@example.test;");

        DmarcResult result = evaluate(FromDomains.of(header), SPF_FAIL);

        assertThat(result.fromDomain()).isEqualTo("example.test");
        assertThat(result.disposition()).isEqualTo(Policy.REJECT);
    }

    @Test
    void caseAndTrailingDotsDoNotMatter() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=reject; adkim=s");

        DmarcResult result = evaluate(List.of("Example.TEST."), SPF_FAIL,
                dkim(DkimResult.Result.PASS, "example.Test."));

        assertThat(result.result()).isEqualTo(Result.PASS);
        assertThat(result.fromDomain()).isEqualTo("example.test");
    }

    @Test
    void closedResolverGivesTemperrorNotFail() throws Exception {
        server.txt("_dmarc.example.test", "v=DMARC1; p=reject");
        dns.close();

        DmarcResult result = evaluate(List.of("example.test"), null);

        assertThat(result.result()).isEqualTo(Result.TEMPERROR);
    }

    private static byte[] header(String... lines) {
        return (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
