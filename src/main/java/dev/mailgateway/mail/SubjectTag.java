package dev.mailgateway.mail;

import java.nio.charset.StandardCharsets;

/**
 * A tag put before a message's Subject ({@code [EXTERNAL]}, {@code [SPAM]}), once: a subject that already starts
 * with it (as a reader sees it: unfolded, encoded words decoded, case aside) is left alone, so a message that
 * passes twice (a retry, a loop through two gateways) never gets the tag twice. The subject's own bytes stay as
 * they are behind the tag: its encoded words, its 8-bit text, its folding.
 */
public final class SubjectTag {

    private static final String SUBJECT = "Subject";
    /** The columns "Subject: " takes before the value. */
    private static final int USED = SUBJECT.length() + 2;

    private final String tag;

    /** @throws IllegalArgumentException when the tag is blank or would break the field (a line break, a control) */
    public SubjectTag(String tag) {
        if (tag == null || tag.isBlank()) {
            throw new IllegalArgumentException("the subject tag is empty");
        }
        String problem = HeaderText.problem(tag);
        if (problem != null) {
            throw new IllegalArgumentException("the subject tag " + Printable.escape(tag) + " " + problem);
        }
        this.tag = tag.strip();
    }

    /** Puts the tag before the first Subject field, or adds {@code Subject: <tag>} when there is none. */
    public void applyTo(HeaderEditor editor, boolean smtpUtf8) {
        boolean present = editor.rewriteFirst(SUBJECT, raw -> tagged(raw, smtpUtf8));
        if (!present) {
            editor.add(SUBJECT, HeaderText.encode(tag, USED, smtpUtf8));
        }
    }

    private String tagged(String raw, boolean smtpUtf8) {
        String rest = raw.stripLeading();
        if (!rest.isEmpty() && HeaderText.decode(raw).regionMatches(true, 0, tag, 0, tag.length())) {
            return raw;
        }
        // readers drop the white space between two encoded words: an encoded tag before an encoded subject
        // carries its space inside
        boolean encodedNext = HeaderText.startsWithEncodedWord(rest) && !smtpUtf8 && !HeaderText.isAscii(tag);
        String text = encodedNext ? HeaderText.encodedWords(tag + " ", USED) : HeaderText.encode(tag, USED, smtpUtf8);
        // a raw value holds octets as ISO-8859-1 characters: the tag's UTF-8 octets (under SMTPUTF8) too
        String prefix = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        if (rest.isEmpty()) {
            return " " + prefix;
        }
        int firstLine = rest.indexOf("\r\n") < 0 ? rest.length() : rest.indexOf("\r\n");
        if (USED + prefix.length() + 1 + firstLine > 78) {
            // too long for one line: the subject goes on on a line of its own (unfolded, it reads the same)
            return " " + prefix + "\r\n " + rest;
        }
        return " " + prefix + " " + rest;
    }
}
