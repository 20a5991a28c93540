package dev.mailgateway.mailauth.dkim;

import java.util.Base64;
import java.util.List;

/**
 * The text of a DKIM-Signature field we add, folded so that no line passes 78 characters (RFC 5322 §2.1.1): tags
 * move to the next line whole, h= breaks after a colon, b= anywhere in its base64 (RFC 6376 §3.5 allows FWS in
 * all three). The field is built up to {@code b=}, which is what gets hashed; b='s value is then appended after
 * the {@code =}, where the verifier cuts it off again with any folding around it.
 */
final class SignatureField {

    private static final int WIDTH = 78;

    private final StringBuilder text = new StringBuilder("DKIM-Signature:");
    private int line = text.length(); // characters on the current line

    private SignatureField() {
    }

    /**
     * {@code DKIM-Signature: v=1; a=...; c=relaxed/relaxed; d=; s=; t=; h=; bh=; b=}, folded, without b='s value
     * and without CRLF.
     */
    static String unsigned(SigningKey key, long time, List<String> signedHeaders, byte[] bodyHash) {
        SignatureField field = new SignatureField();
        field.tag("v=1;");
        field.tag("a=" + key.algorithm() + ";");
        field.tag("c=relaxed/relaxed;");
        field.tag("d=" + key.domain() + ";");
        field.tag("s=" + key.selector() + ";");
        field.tag("t=" + time + ";");
        for (int i = 0; i < signedHeaders.size(); i++) {
            String name = signedHeaders.get(i) + (i == signedHeaders.size() - 1 ? ";" : ":");
            if (i == 0) {
                field.tag("h=" + name);
            } else {
                field.piece(name);
            }
        }
        field.tag("bh=" + Base64.getEncoder().encodeToString(bodyHash) + ";");
        field.tag("b=");
        return field.text.toString();
    }

    /** The whole field, CRLF included: {@link #unsigned} with b='s base64, which fills lines to the width. */
    static String signed(String unsigned, byte[] signature) {
        String b = Base64.getEncoder().encodeToString(signature);
        StringBuilder text = new StringBuilder(unsigned.length() + b.length() + 16).append(unsigned);
        int line = unsigned.length() - unsigned.lastIndexOf('\n') - 1; // the tab counts as one; CR LF do not
        for (int at = 0; at < b.length(); ) {
            if (line >= WIDTH) {
                text.append("\r\n\t");
                line = 1;
            }
            int n = Math.min(WIDTH - line, b.length() - at);
            text.append(b, at, at + n);
            line += n;
            at += n;
        }
        return text.append("\r\n").toString();
    }

    /** A tag, after a space on this line when it fits there, else on the next line. */
    private void tag(String tag) {
        if (line + 1 + tag.length() > WIDTH) {
            fold();
        } else {
            text.append(' ');
            line++;
        }
        append(tag);
    }

    /** More of the last tag's value, on this line when it fits, else on the next (FWS where the syntax has it). */
    private void piece(String piece) {
        if (line + piece.length() > WIDTH) {
            fold();
        }
        append(piece);
    }

    private void fold() {
        text.append("\r\n\t");
        line = 1;
    }

    private void append(String piece) {
        text.append(piece);
        line += piece.length();
    }
}
