package dev.mailgateway.mailauth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 7489 §3.2 organizational domains from the Public Suffix List. */
class OrganizationalDomainsTest {

    private final OrganizationalDomains bundled = OrganizationalDomains.bundled();

    @Test
    void registrableDomainIsThePublicSuffixAndOneLabel() {
        assertThat(bundled.of("a.b.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(bundled.of("example.co.uk")).isEqualTo("example.co.uk");
        assertThat(bundled.of("mail.example.com")).isEqualTo("example.com");
    }

    @Test
    void privateSuffixesSeparateOrganizations() {
        assertThat(bundled.of("alice.github.io")).isEqualTo("alice.github.io");
        assertThat(bundled.of("www.alice.github.io")).isEqualTo("alice.github.io");
    }

    @Test
    void wildcardAndExceptionRulesApply() {
        assertThat(bundled.of("www.shop.example.kawasaki.jp")).isEqualTo("shop.example.kawasaki.jp");
        assertThat(bundled.of("mail.city.kawasaki.jp")).isEqualTo("city.kawasaki.jp");
    }

    @Test
    void domainUnderTopLevelDomainTheListLacksFollowsTheDefaultRule() {
        assertThat(bundled.of("mail.example.test")).isEqualTo("example.test");
        assertThat(bundled.of("example.test")).isEqualTo("example.test");
    }

    @Test
    void caseAndTrailingDotDoNotMatter() {
        assertThat(bundled.of("A.B.Example.CO.UK.")).isEqualTo("example.co.uk");
        assertThat(bundled.of("Mail.Example.Test.")).isEqualTo("example.test");
    }

    @Test
    void dmarcLabelsAreOrdinaryLabels() {
        assertThat(bundled.of("_dmarc.mail.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(bundled.of("_dmarc.example.com")).isEqualTo("example.com");
    }

    @Test
    void publicSuffixIsItsOwnOrganizationalDomain() {
        assertThat(bundled.of("co.uk")).isEqualTo("co.uk");
        assertThat(bundled.of("com")).isEqualTo("com");
    }

    @Test
    void internationalizedNamesAndRulesCompareInAsciiForm() {
        assertThat(bundled.of("mail.bücher.de")).isEqualTo("xn--bcher-kva.de");
        assertThat(bundled.of("mail.xn--bcher-kva.de")).isEqualTo("xn--bcher-kva.de");
        assertThat(bundled.of("www.beispiel.公司.cn")).isEqualTo("beispiel.xn--55qx5d.cn");
    }

    @Test
    void newerFileReplacesTheBundledList(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("public_suffix_list.dat");
        Files.writeString(file, """
                // a newer list: co.uk is gone, example.test is a public suffix now
                // ===BEGIN ICANN DOMAINS===
                uk
                example.test    trailing text after whitespace is not part of the rule
                *.wild.test
                !keep.wild.test
                Bücher.DE
                // ===END ICANN DOMAINS===
                """, StandardCharsets.UTF_8);

        OrganizationalDomains newer = OrganizationalDomains.fromFile(file);

        assertThat(newer.of("a.b.example.co.uk")).isEqualTo("co.uk");
        assertThat(newer.of("x.y.example.test")).isEqualTo("y.example.test");
        assertThat(newer.of("a.b.c.wild.test")).isEqualTo("b.c.wild.test");
        assertThat(newer.of("x.keep.wild.test")).isEqualTo("keep.wild.test");
        assertThat(newer.of("shop.xn--bcher-kva.de")).isEqualTo("shop.xn--bcher-kva.de");
        // the bundled list is untouched: lists are values, not one JVM-wide singleton
        assertThat(bundled.of("a.b.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(OrganizationalDomains.bundled().of("x.y.example.test")).isEqualTo("example.test");
    }

    @Test
    void fileWithoutRulesIsRefused(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.dat"), "// nothing but comments\n\n");
        assertThatThrownBy(() -> OrganizationalDomains.fromFile(empty)).isInstanceOf(IOException.class)
                .hasMessageContaining("no public suffix rule");
        assertThatThrownBy(() -> OrganizationalDomains.fromFile(dir.resolve("missing.dat")))
                .isInstanceOf(IOException.class);
    }
}
