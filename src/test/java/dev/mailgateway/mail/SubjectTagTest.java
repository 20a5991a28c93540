package dev.mailgateway.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SubjectTagTest {

    private static final String REST = "To: a@b.example\r\nX-Other: x\r\n\r\n";

    private static String tag(String tag, String header, boolean smtpUtf8) {
        HeaderEditor editor = new HeaderEditor(header.getBytes(StandardCharsets.UTF_8));
        new SubjectTag(tag).applyTo(editor, smtpUtf8);
        return new String(editor.toBytes(), StandardCharsets.UTF_8);
    }

    private static String subjectOf(String header) {
        HeaderEditor editor = new HeaderEditor(header.getBytes(StandardCharsets.UTF_8));
        return HeaderText.decode(editor.firstValue("Subject"));
    }

    @Test
    void theTagGoesBeforeTheSubjectAndNothingElseChanges() {
        assertThat(tag("[EXTERNAL]", "Subject: Lunch\r\n" + REST, false))
                .isEqualTo("Subject: [EXTERNAL] Lunch\r\n" + REST);
    }

    @Test
    void aSubjectThatStartsWithTheTagAlreadyIsLeftAsItIs() {
        for (String header : new String[] {"Subject: [EXTERNAL] Lunch\r\n", "subject:  [external]\r\n\tLunch\r\n",
                "Subject: =?UTF-8?Q?[EXTERNAL]_L=C3=BCnch?=\r\n"}) {
            HeaderEditor editor = new HeaderEditor((header + REST).getBytes(StandardCharsets.UTF_8));
            new SubjectTag("[EXTERNAL]").applyTo(editor, false);
            assertThat(editor.changed()).as(header).isFalse();
            assertThat(new String(editor.toBytes(), StandardCharsets.UTF_8)).isEqualTo(header + REST);
        }
    }

    @Test
    void anEncodedSubjectKeepsItsEncodedWordsBehindTheTag() {
        String header = "Subject: =?UTF-8?B?w6RwZmVs?=\r\n =?ISO-8859-1?Q?_und_Birnen?=\r\n" + REST;
        String tagged = tag("[EXTERNAL]", header, false);
        assertThat(tagged).isEqualTo("Subject: [EXTERNAL] =?UTF-8?B?w6RwZmVs?=\r\n =?ISO-8859-1?Q?_und_Birnen?=\r\n"
                + REST);
        assertThat(subjectOf(tagged)).isEqualTo("[EXTERNAL] äpfel und Birnen");
    }

    @Test
    void aNonAsciiTagIsEncodedAndCarriesItsSpaceBeforeAnEncodedSubject() {
        String plain = tag("[EXTERNÉ]", "Subject: Lunch\r\n" + REST, false);
        assertThat(plain).isEqualTo("Subject: =?UTF-8?Q?[EXTERN=C3=89]?= Lunch\r\n" + REST);
        String encoded = tag("[EXTERNÉ]", "Subject: =?UTF-8?B?w6Rw?=\r\n" + REST, false);
        assertThat(subjectOf(encoded)).isEqualTo("[EXTERNÉ] äp"); // readers drop the space between encoded words
        assertThat(tag("[EXTERNÉ]", encoded, false)).isEqualTo(encoded);
    }

    @Test
    void underSmtpUtf8ANonAsciiTagIsWrittenAsItIs() {
        assertThat(tag("[EXTERNÉ]", "Subject: Lunch\r\n" + REST, true))
                .isEqualTo("Subject: [EXTERNÉ] Lunch\r\n" + REST);
    }

    @Test
    void aMessageWithoutSubjectGetsOneAndAnEmptySubjectGetsTheTag() {
        assertThat(tag("[EXTERNAL]", REST, false)).isEqualTo("Subject: [EXTERNAL]\r\n" + REST);
        assertThat(tag("[EXTERNAL]", "Subject:\r\n" + REST, false)).isEqualTo("Subject: [EXTERNAL]\r\n" + REST);
    }

    @Test
    void aSubjectTooLongForOneLineWithTheTagGoesOnOnTheNextLine() {
        String subject = "A subject of sixty-eight characters, which is long but fits a line";
        String tagged = tag("[EXTERNAL]", "Subject: " + subject + "\r\n" + REST, false);
        assertThat(tagged).isEqualTo("Subject: [EXTERNAL]\r\n " + subject + "\r\n" + REST);
        assertThat(subjectOf(tagged)).isEqualTo("[EXTERNAL] " + subject);
    }

    @Test
    void theSubjectsEightBitOctetsAreKept() {
        String header = "Subject: Grüße\r\n" + REST;
        assertThat(tag("[EXTERNAL]", header, true)).isEqualTo("Subject: [EXTERNAL] Grüße\r\n" + REST);
    }

    @Test
    void aTagThatWouldBreakTheFieldIsRefused() {
        assertThatThrownBy(() -> new SubjectTag(" ")).hasMessage("the subject tag is empty");
        assertThatThrownBy(() -> new SubjectTag("[X]\r\nBcc: all@example.org"))
                .hasMessage("the subject tag [X]\\r\\nBcc: all@example.org has a line break (CR or LF)");
    }
}
