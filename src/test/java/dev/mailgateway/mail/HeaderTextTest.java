package dev.mailgateway.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderTextTest {

    @Test
    void asciiAndSmtpUtf8TextIsWrittenAsItIs() {
        assertThat(HeaderText.encode("plain text, 100% ASCII", 7, false)).isEqualTo("plain text, 100% ASCII");
        assertThat(HeaderText.encode("Grüße aus Köln", 7, true)).isEqualTo("Grüße aus Köln");
    }

    @Test
    void wordsWithNonAsciiBecomeEncodedWordsAndAsciiWordsStayReadable() {
        assertThat(HeaderText.encode("Grüße aus Köln", 7, false))
                .isEqualTo("=?UTF-8?B?R3LDvMOfZQ==?= aus =?UTF-8?B?S8O2bG4=?=");
        assertThat(HeaderText.decode(" =?UTF-8?B?R3LDvMOfZQ==?= aus =?UTF-8?B?S8O2bG4=?="))
                .isEqualTo("Grüße aus Köln");
    }

    @Test
    void neighbouringNonAsciiWordsAreEncodedTogetherSoTheSpaceBetweenThemSurvives() {
        String encoded = HeaderText.encode("Jörg Müller <j@example.org>", 6, false);
        assertThat(encoded).isEqualTo("=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <j@example.org>");
        assertThat(HeaderText.decode(encoded)).isEqualTo("Jörg Müller <j@example.org>");
    }

    @Test
    void longTextIsSplitIntoEncodedWordsOfAtMost75CharactersThatDecodeBack() {
        String text = "Ünïcödé ".repeat(20).strip();
        String encoded = HeaderText.encode(text, 7, false);
        for (String word : encoded.split(" ")) {
            assertThat(word).startsWith("=?UTF-8?").endsWith("?=");
            assertThat(word.length()).isLessThanOrEqualTo(75);
        }
        assertThat(HeaderText.decode(encoded)).isEqualTo(text);
    }

    @Test
    void decodeUnfoldsAndReadsEightBitOctetsAsUtf8() {
        String raw = new String(" Grüße\r\n\tfrom =?UTF-8?B?w6Rw?=".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(HeaderText.decode(raw)).isEqualTo("Grüße\tfrom äp");
    }

    @Test
    void lineBreaksAndControlsAreProblemsTabsAreNot() {
        assertThat(HeaderText.problem("a\tb ü")).isNull();
        assertThat(HeaderText.problem("a\r\nBcc: x@y")).isEqualTo("has a line break (CR or LF)");
        assertThat(HeaderText.problem("a\nb")).isEqualTo("has a line break (CR or LF)");
        assertThat(HeaderText.problem("a\u0000b")).isEqualTo("has the control character U+0000");
        assertThat(HeaderText.problem("a\u007fb")).isEqualTo("has the control character U+007F");
    }

    @Test
    void fieldNamesArePrintableAsciiWithoutColonOrSpace() {
        assertThat(HeaderText.isFieldName("X-Spam_Flag.1")).isTrue();
        assertThat(HeaderText.isFieldName("X-A".repeat(25))).isTrue(); // 75
        assertThat(HeaderText.isFieldName("X-A".repeat(26))).isFalse();
        for (String bad : new String[] {"", "X A", "X:A", "X-Ü", "X\r\nA", "X\tA"}) {
            assertThat(HeaderText.isFieldName(bad)).as(bad).isFalse();
        }
    }
}
