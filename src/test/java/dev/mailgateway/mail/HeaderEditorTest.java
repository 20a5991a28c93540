package dev.mailgateway.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderEditorTest {

    private static final String HEADER = "Received: from a\r\n\tby b; Fri, 4 Dec 2026 10:00:00 +0000\r\n"
            + "Subject: =?UTF-8?B?w6Rw?=\r\n  folded  on\r\nX-Spam-Status: No\r\nx-spam-flag: NO\r\n"
            + "From: Ünïcode <a@b>\r\n\r\n";

    private static String edit(String header, java.util.function.Consumer<HeaderEditor> edits) {
        HeaderEditor editor = new HeaderEditor(header.getBytes(StandardCharsets.UTF_8));
        edits.accept(editor);
        return new String(editor.toBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void fieldsNotTouchedKeepEveryByte() {
        assertThat(edit(HEADER, e -> { })).isEqualTo(HEADER);
    }

    @Test
    void removesEveryFieldOfANameWhateverItsCase() {
        assertThat(edit(HEADER, e -> e.remove("X-Spam-Flag", "X-SPAM-STATUS"))).isEqualTo(HEADER
                .replace("X-Spam-Status: No\r\n", "").replace("x-spam-flag: NO\r\n", ""));
    }

    @Test
    void removesByPredicateOnTheLowerCaseName() {
        assertThat(edit(HEADER, e -> e.remove(name -> name.startsWith("x-spam-")))).isEqualTo(HEADER
                .replace("X-Spam-Status: No\r\n", "").replace("x-spam-flag: NO\r\n", ""));
    }

    @Test
    void addedFieldsGoOnTopInTheOrderAdded() {
        assertThat(edit(HEADER, e -> e.add("X-A", "1").add("X-B", "2"))).isEqualTo("X-A: 1\r\nX-B: 2\r\n" + HEADER);
    }

    @Test
    void longFieldsOfOursAreFoldedAtCommasAndSpaces() {
        String tests = "RULE_ONE,RULE_TWO,RULE_THREE,RULE_FOUR,RULE_FIVE,RULE_SIX,RULE_SEVEN,RULE_EIGHT,RULE_NINE";
        String edited = edit("\r\n", e -> e.add("X-Spam-Status", "Yes, score=9 required=6 tests=" + tests));
        for (String line : edited.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(79);
        }
        assertThat(edited.replace("\r\n\t", "")).isEqualTo("X-Spam-Status: Yes, score=9 required=6 tests=" + tests
                + "\r\n\r\n");
    }

    @Test
    void rewritesTheRawValueOfTheFirstFieldKeepingItsFoldingAndBytes() {
        assertThat(edit(HEADER, e -> assertThat(e.rewriteFirst("subject", raw -> " [SPAM]" + raw)).isTrue()))
                .isEqualTo(HEADER.replace("Subject: =?UTF-8", "Subject: [SPAM] =?UTF-8"));
        assertThat(edit(HEADER, e -> assertThat(e.rewriteFirst("From", raw -> raw + " ")).isTrue()))
                .isEqualTo(HEADER.replace("<a@b>", "<a@b> "));
    }

    @Test
    void rewritesEveryFieldOfANameAndCountsThem() {
        assertThat(edit(HEADER, e -> assertThat(e.rewriteAll("X-SPAM-status", raw -> raw + "!")).isEqualTo(1)))
                .isEqualTo(HEADER.replace("X-Spam-Status: No", "X-Spam-Status: No!"));
        String twice = "To: a@b\r\nSubject: s\r\nto:\r\n c@d\r\n\r\n";
        assertThat(edit(twice, e -> assertThat(e.rewriteAll("To", raw -> raw.replace("@", "@x.")))
                .isEqualTo(2))).isEqualTo("To: a@x.b\r\nSubject: s\r\nto:\r\n c@x.d\r\n\r\n");
        assertThat(edit(HEADER, e -> assertThat(e.rewriteAll("Cc", raw -> "x")).isZero())).isEqualTo(HEADER);
    }

    @Test
    void aMessageWithoutBodyOrFieldsIsHandled() {
        assertThat(edit("Subject: x\r\n", e -> e.add("X-A", "1"))).isEqualTo("X-A: 1\r\nSubject: x\r\n");
        assertThat(edit("\r\n", e -> e.remove("Subject"))).isEqualTo("\r\n");
        assertThat(edit("", e -> e.add("X-A", "1"))).isEqualTo("X-A: 1\r\n");
    }

    @Test
    void removeIfSeesEachFieldInOrderWithItsRawValue() {
        java.util.List<String> seen = new java.util.ArrayList<>();
        String edited = edit(HEADER, e -> e.removeIf((name, value) -> {
            seen.add(name + ":" + value);
            return name.startsWith("x-spam") && seen.size() == 4;
        }));
        assertThat(seen).containsExactly("received: from a\r\n\tby b; Fri, 4 Dec 2026 10:00:00 +0000",
                "subject: =?UTF-8?B?w6Rw?=\r\n  folded  on", "x-spam-status: No", "x-spam-flag: NO",
                "from: " + new String("Ünïcode <a@b>".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        assertThat(edited).isEqualTo(HEADER.replace("x-spam-flag: NO\r\n", ""));
    }

    @Test
    void firstValueIsTheRawValueOfTheFirstFieldOfThatName() {
        HeaderEditor editor = new HeaderEditor(("X-A: 1\r\nx-a: 2\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(editor.firstValue("X-a")).isEqualTo(" 1");
        assertThat(editor.firstValue("X-B")).isNull();
    }

    @Test
    void aRewriteToTheSameValueChangesNothing() {
        HeaderEditor editor = new HeaderEditor(HEADER.getBytes(StandardCharsets.UTF_8));
        assertThat(editor.rewriteFirst("Subject", raw -> raw)).isTrue();
        assertThat(editor.changed()).isFalse();
    }

    @Test
    void aLineWithoutColonIsNoFieldAndIsKept() {
        String header = "Subject\r\nSubject: x\r\n\r\n";
        assertThat(edit(header, e -> e.rewriteFirst("Subject", raw -> " y")))
                .isEqualTo("Subject\r\nSubject: y\r\n\r\n");
        assertThat(edit(header, e -> e.remove("subject"))).isEqualTo("Subject\r\n\r\n");
    }
}
