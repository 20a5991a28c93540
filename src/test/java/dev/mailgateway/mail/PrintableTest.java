package dev.mailgateway.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void printableTextComesBackAsItIsWithoutACopy() {
        String ascii = "mail.example.test [192.0.2.1] <a+b@c.test> 550 5.1.1 \"quoted\" ~!#$%";
        String utf8 = "j\u00f6rg@b\u00fccher.test \u4f8b\u3048 caf\u00e9 \ud83d\udce7";
        assertThat(Printable.escape(ascii)).isSameAs(ascii);
        assertThat(Printable.escape(utf8)).isSameAs(utf8);
        assertThat(Printable.escape("")).isEmpty();
        assertThat(Printable.escape(null)).isNull();
    }

    @Test
    void lineEndingsAndTabsAreNamed() {
        assertThat(Printable.escape("alice\r\n2024-01-01 INFO FAKE\tline\n"))
                .isEqualTo("alice\\r\\n2024-01-01 INFO FAKE\\tline\\n");
    }

    @Test
    void otherC0ControlsAndDelAreHex() {
        assertThat(Printable.escape("a\u0000b\u001b[2J\u001b[H\u0007\u007f"))
                .isEqualTo("a\\x00b\\x1b[2J\\x1b[H\\x07\\x7f");
    }

    @Test
    void c1ControlsAreEscapedAsUnicode() {
        // U+009B is a one-character CSI for some terminals; U+0085 is NEL, a line break for some readers
        assertThat(Printable.escape("x\u009b2Jy\u0085z\u0080\u009f")).isEqualTo("x\\u009b2Jy\\u0085z\\u0080\\u009f");
        assertThat(Printable.escape("\u00a0\u00ff")).isEqualTo("\u00a0\u00ff");
    }

    @Test
    void unicodeLineSeparatorsBidiOverridesAndLoneSurrogatesAreEscaped() {
        assertThat(Printable.escape("a\u2028b\u2029c")).isEqualTo("a\\u2028b\\u2029c");
        assertThat(Printable.escape("user\u202egnp.exe")).isEqualTo("user\\u202egnp.exe");
        assertThat(Printable.escape("\u2066x\u2069")).isEqualTo("\\u2066x\\u2069");
        assertThat(Printable.escape("a\ud800b\udc00")).isEqualTo("a\\ud800b\\udc00");
        assertThat(Printable.escape("\ud83d\udce7")).isEqualTo("\ud83d\udce7");
    }

    @Test
    void backslashesAreDoubledSoTheOutputIsUnambiguous() {
        assertThat(Printable.escape("a\\nb")).isEqualTo("a\\\\nb");
        assertThat(Printable.escape("a\nb")).isEqualTo("a\\nb");
        assertThat(Printable.escape("a\\nb")).isNotEqualTo(Printable.escape("a\nb"));
    }

    @Test
    void escapingOnlyControlsLeavesBackslashesSoEscapedTextIsNotEscapedTwice() {
        String escaped = Printable.escape("evil\r\nFAKE \\ line");
        assertThat(Printable.escapeControls(escaped)).isSameAs(escaped);
        assertThat(Printable.escapeControls("a\\b\r\n\u001b")).isEqualTo("a\\b\\r\\n\\x1b");
    }
}
