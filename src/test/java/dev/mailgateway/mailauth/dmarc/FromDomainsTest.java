package dev.mailgateway.mailauth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The RFC5322.From domains DMARC checks, from real header syntax. */
class FromDomainsTest {

    private static byte[] header(String... lines) {
        return (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void plainAddressAndDisplayNameGiveTheDomain() {
        assertThat(FromDomains.of(header("From: alice@example.test"))).containsExactly("example.test");
        assertThat(FromDomains.of(header("From: Alice Example <alice@example.test>")))
                .containsExactly("example.test");
    }

    @Test
    void commentsAndQuotedDisplayNamesHideNoAddress() {
        assertThat(FromDomains.of(header("From: alice@example.test (Alice, not ceo@bank.test)")))
                .containsExactly("example.test");
        assertThat(FromDomains.of(header("From: (ceo@bank.test (nested)) alice@example.test")))
                .containsExactly("example.test");
        assertThat(FromDomains.of(header("From: \"ceo@bank.test, Bank\" <alice@example.test>")))
                .containsExactly("example.test");
        assertThat(FromDomains.of(header("From: \"quoted@local\"@example.test"))).containsExactly("example.test");
    }

    @Test
    void encodedWordInDisplayNameIsNoAddress() {
        // decodes to "CEO <ceo@bank.test>": text shown to the reader, not the author's address
        assertThat(FromDomains.of(header("From: =?utf-8?q?CEO_=3Cceo=40bank=2Etest=3E?= <alice@example.test>")))
                .containsExactly("example.test");
        assertThat(FromDomains.of(header("From: =?utf-8?b?w4lyaWM=?= <eric@example.test>")))
                .containsExactly("example.test");
    }

    @Test
    void groupSyntaxGivesItsMembersDomains() {
        assertThat(FromDomains.of(header("From: Team: alice@one.test, Bob <bob@two.test>;")))
                .containsExactly("one.test", "two.test");
        assertThat(FromDomains.of(header("From: undisclosed:;, carol@three.test"))).containsExactly("three.test");
    }

    @Test
    void everyAddressOfEveryFromFieldCounts() {
        assertThat(FromDomains.of(header("From: alice@one.test, bob@two.test")))
                .containsExactly("one.test", "two.test");
        assertThat(FromDomains.of(header("From: alice@one.test", "Subject: hi", "FROM: bob@two.test")))
                .containsExactly("one.test", "two.test");
        assertThat(FromDomains.of(header("From: alice@example.test, bob@Example.Test")))
                .containsExactly("example.test", "example.test");
    }

    @Test
    void domainsAreLowerCaseAsciiWithoutTrailingDot() {
        assertThat(FromDomains.of(header("From: Alice <alice@Mail.EXAMPLE.Test.>")))
                .containsExactly("mail.example.test");
        assertThat(FromDomains.of(header("From: Jörg <jörg@Bücher.example>")))
                .containsExactly("xn--bcher-kva.example");
    }

    @Test
    void foldedAndLongFieldsParse() {
        assertThat(FromDomains.of(header("From: Alice", "\t<alice@example.test>"))).containsExactly("example.test");
        // over 1000 characters on one line: mime4j's default configuration would refuse it
        String longName = "A".repeat(5000);
        assertThat(FromDomains.of(header("X-Long: " + "x".repeat(5000), "From: \"" + longName + "\" <a@example.test>")))
                .containsExactly("example.test");
    }

    @Test
    void onlyTheHeaderSectionIsRead() {
        byte[] message = "From: alice@example.test\r\nSubject: hi\r\n\r\nFrom: bob@bank.test\r\n"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(FromDomains.of(message)).containsExactly("example.test");
        assertThat(FromDomains.of("From: alice@example.test\nTo: bob@two.test".getBytes(StandardCharsets.UTF_8)))
                .containsExactly("example.test");
        assertThat(FromDomains.of("\r\nFrom: alice@example.test\r\n".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void streamGivesTheSameDomains() throws Exception {
        assertThat(FromDomains.of(new ByteArrayInputStream(header("From: Alice <alice@example.test>"))))
                .containsExactly("example.test");
    }

    @Test
    void noFromFieldOrAnEmptyGroupGivesNoDomain() {
        assertThat(FromDomains.of(header("Subject: hi", "To: bob@example.test"))).isEmpty();
        assertThat(FromDomains.of(header("From: undisclosed-senders:;"))).isEmpty();
        assertThat(FromDomains.of(new byte[0])).isEmpty();
    }

    @Test
    void anyUnparsableFromGivesNoDomainAtAll() {
        assertThat(FromDomains.of(header("From: Alice <alice@example.test"))).isEmpty();
        assertThat(FromDomains.of(header("From: a@b@bank.test"))).isEmpty();
        assertThat(FromDomains.of(header("From: no-at-sign"))).isEmpty();
        assertThat(FromDomains.of(header("From: alice@[192.0.2.1]"))).isEmpty();
        assertThat(FromDomains.of(header("From: alice@exa_mple!.test"))).isEmpty();
        assertThat(FromDomains.of(header("From: alice@" + "a".repeat(64) + ".test"))).isEmpty();
        // a broken second From field must not leave the first one to be checked alone
        assertThat(FromDomains.of(header("From: alice@example.test", "From: <ceo@bank.test"))).isEmpty();
    }

    @Test
    void addressesAndHeaderSizeAreBounded() {
        StringBuilder hundred = new StringBuilder("From: a0@example.test");
        for (int i = 1; i < FromDomains.MAX_ADDRESSES; i++) {
            hundred.append(", a").append(i).append("@example.test");
        }
        assertThat(FromDomains.of(header(hundred.toString()))).hasSize(FromDomains.MAX_ADDRESSES);
        assertThat(FromDomains.of(header(hundred + ", one@too-many.test"))).isEmpty();

        String filler = "X-Filler: " + "x".repeat(FromDomains.MAX_HEADER_BYTES);
        assertThat(FromDomains.of(header(filler, "From: alice@example.test"))).isEmpty();
    }
}
