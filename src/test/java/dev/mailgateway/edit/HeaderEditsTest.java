package dev.mailgateway.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.mail.HeaderEditor;
import dev.mailgateway.mail.HeaderText;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderEditsTest {

    /** Folded fields, a field name in odd case, 8-bit text, a tab: everything a sender may write. */
    private static final String HEADER = "Received: from a ([192.0.2.1])\r\n\tby b; Fri, 4 Dec 2026 10:00:00 +0000\r\n"
            + "X-Internal-Route: hop1,\r\n\thop2,\r\n  hop3\r\n"
            + "From: Ünïcode <a@b.example>\r\n"
            + "x-internal-id:\t42\r\n"
            + "X-Internaly: not matched by X-Internal-*\r\n"
            + "X-Other: o\r\n"
            + "Subject: =?UTF-8?B?w6Rw?=\r\n"
            + "X-Gateway: old\r\n"
            + "X-GATEWAY: older\r\n\r\n";

    private static String apply(String header, HeaderEdits edits, boolean smtpUtf8) {
        HeaderEditor editor = new HeaderEditor(header.getBytes(StandardCharsets.UTF_8));
        edits.applyTo(editor, smtpUtf8);
        return new String(editor.toBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void removesGlobsAndNamesWhateverTheirCaseFoldedFieldsWholeAndKeepsEveryOtherByte() {
        String edited = apply(HEADER, HeaderEdits.parse("X-Internal-*, x-other", null, null), false);
        assertThat(edited).isEqualTo(HEADER.replace("X-Internal-Route: hop1,\r\n\thop2,\r\n  hop3\r\n", "")
                .replace("x-internal-id:\t42\r\n", "").replace("X-Other: o\r\n", ""));
    }

    @Test
    void removeThenSetThenAddEachOnTop() {
        String edited = apply(HEADER, HeaderEdits.parse("X-Other", "X-Gateway: gw1", "X-Note:checked"), false);
        assertThat(edited).isEqualTo("X-Note: checked\r\nX-Gateway: gw1\r\n" + HEADER.replace("X-Other: o\r\n", "")
                .replace("X-Gateway: old\r\n", "").replace("X-GATEWAY: older\r\n", ""));
    }

    @Test
    void settingOrRemovingAFieldThatIsNotThereChangesNothingButTheSetField() {
        HeaderEditor editor = new HeaderEditor(HEADER.getBytes(StandardCharsets.UTF_8));
        HeaderEdits.parse("X-Absent-*", null, null).applyTo(editor, false);
        assertThat(editor.changed()).isFalse();
        assertThat(apply(HEADER, HeaderEdits.parse(null, "X-New: 1", null), false)).isEqualTo("X-New: 1\r\n" + HEADER);
    }

    @Test
    void nonAsciiValuesAreEncodedWordsUnlessTheMessageCameWithSmtpUtf8() {
        HeaderEdits edits = HeaderEdits.parse(null, null, "X-Note: Grüße aus Köln");
        assertThat(apply("\r\n", edits, false))
                .isEqualTo("X-Note: =?UTF-8?B?R3LDvMOfZQ==?= aus =?UTF-8?B?S8O2bG4=?=\r\n\r\n");
        assertThat(apply("\r\n", edits, true)).isEqualTo("X-Note: Grüße aus Köln\r\n\r\n");
    }

    @Test
    void longValuesAreFoldedAndReadTheSameUnfolded() {
        String words = "word ".repeat(40).strip();
        String ascii = apply("\r\n", HeaderEdits.parse(null, "X-Long: " + words, null), false);
        String encoded = apply("\r\n", HeaderEdits.parse(null, "X-Long: " + words.replace("word", "wörd"), null),
                false);
        for (String edited : new String[] {ascii, encoded}) {
            String field = edited.substring(0, edited.length() - 2);
            for (String line : field.split("\r\n")) {
                assertThat(line.length()).as(line).isLessThanOrEqualTo(78);
            }
            assertThat(field.split("\r\n").length).isGreaterThan(2);
        }
        assertThat(HeaderText.decode(ascii.substring("X-Long:".length()))).isEqualTo(words);
        assertThat(HeaderText.decode(encoded.substring("X-Long:".length())))
                .isEqualTo(words.replace("word", "wörd"));
    }

    @Test
    void aMessageWithoutFieldsOrWithoutBodyIsEdited() {
        HeaderEdits edits = HeaderEdits.parse("X-A", null, "X-B: 2");
        assertThat(apply("\r\n", edits, false)).isEqualTo("X-B: 2\r\n\r\n");
        assertThat(apply("X-A: 1\r\nSubject: s\r\n", edits, false)).isEqualTo("X-B: 2\r\nSubject: s\r\n");
    }

    @Test
    void badFieldNamesAndValuesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> HeaderEdits.parse(null, null, null))
                .hasMessageStartingWith("mail-edit:header needs add, set or remove");
        assertThatThrownBy(() -> HeaderEdits.parse(null, null, "X Note: x"))
                .hasMessageStartingWith("mail-edit:header add=X Note: x: X Note: not a field name");
        assertThatThrownBy(() -> HeaderEdits.parse(null, "X-Note", null))
                .hasMessage("mail-edit:header set=X-Note: expected 'Name: value'");
        assertThatThrownBy(() -> HeaderEdits.parse(null, null, "X-Note: a\r\nBcc: everyone@example.org"))
                .hasMessage("mail-edit:header add=X-Note: a\\r\\nBcc: everyone@example.org: X-Note: the value has a"
                        + " line break (CR or LF)");
        assertThatThrownBy(() -> HeaderEdits.parse(null, null, "X-Note: a\nb"))
                .hasMessageEndingWith("the value has a line break (CR or LF)");
        assertThatThrownBy(() -> HeaderEdits.parse(null, "X-Note:  ", null))
                .hasMessageEndingWith("X-Note: the value is empty");
        assertThatThrownBy(() -> HeaderEdits.parse(null, "X-Note: " + "x".repeat(1000), null))
                .hasMessageEndingWith("a word in the value is too long to fold into lines of 998 octets");
        assertThatThrownBy(() -> HeaderEdits.parse("X-A,,X-B", null, null))
                .hasMessage("mail-edit:header remove=X-A,,X-B: an empty name between commas");
        assertThatThrownBy(() -> HeaderEdits.parse("X-A:", null, null))
                .hasMessageStartingWith("mail-edit:header remove=X-A:: 'X-A:' is not a field name");
    }

    @Test
    void fieldsWeMustNotDropSilentlyAreRefusedEvenThroughAGlob() {
        assertThatThrownBy(() -> HeaderEdits.parse("X-A,Received", null, null))
                .hasMessage("mail-edit:header remove=X-A,Received: 'Received' would remove received: trace fields"
                        + " are the hop history (loop detection counts them); mail-edit:strip-received removes those"
                        + " from before us");
        assertThatThrownBy(() -> HeaderEdits.parse("R*", null, null)).hasMessageContaining("would remove received");
        assertThatThrownBy(() -> HeaderEdits.parse("*", null, null)).hasMessageContaining("would remove received");
        assertThatThrownBy(() -> HeaderEdits.parse("FROM", null, null))
                .hasMessageEndingWith("'FROM' would remove from: RFC 5322 requires it in every message (set="
                        + " replaces it)");
        assertThatThrownBy(() -> HeaderEdits.parse("Content-*", null, null))
                .hasMessageEndingWith("would remove content-type: it says how the body is read; without it a MIME"
                        + " message is no longer one");
        assertThatThrownBy(() -> HeaderEdits.parse(null, "Content-Type: text/plain", null))
                .hasMessageStartingWith("mail-edit:header set=Content-Type: text/plain: Content-Type: it says how");
        assertThatThrownBy(() -> HeaderEdits.parse(null, null, "Received: from nowhere"))
                .hasMessageContaining("trace fields are the hop history");
        assertThatThrownBy(() -> HeaderEdits.parse(null, null, "subject: hello"))
                .hasMessage("mail-edit:header add=subject: hello: subject: RFC 5322 allows one subject field: use"
                        + " set=, which replaces it");
        // replacing them is no silent loss: allowed
        assertThat(apply("From: a@b\r\nDate: x\r\n\r\n", HeaderEdits.parse("X-Date-*", "From: c@d", null), false))
                .isEqualTo("From: c@d\r\nDate: x\r\n\r\n");
    }
}
