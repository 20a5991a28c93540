package dev.mailgateway.mailauth.dkim;

/**
 * The two canonicalizations of RFC 6376 §3.4. For header fields here (the body's are streamed by
 * {@link BodyCanonicalizer}); the gateway's signer will use the same code, so that what it signs is what this
 * verifies.
 */
enum Canonicalization {

    /** §3.4.1: the field exactly as it is, folding and case included. */
    SIMPLE,
    /**
     * §3.4.2: name in lower case, unfolded, runs of WSP as one SP, no WSP at the end of the value or around the
     * colon.
     */
    RELAXED;

    /**
     * The c= tag: {@code header/body}, or one word for the header with the body simple; absent means simple/simple.
     *
     * @return {header, body}
     * @throws DkimException (PERMERROR) on an unknown canonicalization
     */
    static Canonicalization[] parse(String value) throws DkimException {
        if (value == null) {
            return new Canonicalization[] {SIMPLE, SIMPLE};
        }
        int slash = value.indexOf('/');
        String header = slash < 0 ? value : value.substring(0, slash);
        String body = slash < 0 ? "simple" : value.substring(slash + 1);
        return new Canonicalization[] {named(header), named(body)};
    }

    private static Canonicalization named(String name) throws DkimException {
        return switch (lowerCase(name)) {
            case "simple" -> SIMPLE;
            case "relaxed" -> RELAXED;
            default -> throw new DkimException(DkimResult.Result.PERMERROR,
                    "unknown canonicalization c=" + TagList.shown(name));
        };
    }

    /**
     * One header field canonicalized, without a CRLF at its end: the caller adds the CRLF to the fields h= names,
     * and not to the signature's own field, which is hashed last and without one.
     *
     * @param field the field as ISO-8859-1 text, folding kept, without its final CRLF
     */
    String header(String field) {
        if (this == SIMPLE) {
            return field;
        }
        int colon = field.indexOf(':');
        if (colon < 0) { // no name to canonicalize: the signer saw no field either (h= cannot name it)
            return field;
        }
        int nameEnd = colon;
        while (nameEnd > 0 && isWsp(field.charAt(nameEnd - 1))) {
            nameEnd--;
        }
        StringBuilder out = new StringBuilder(field.length());
        out.append(lowerCase(field.substring(0, nameEnd))).append(':');
        int valueStart = out.length();
        boolean space = false;
        for (int i = colon + 1; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\r' && i + 1 < field.length() && field.charAt(i + 1) == '\n') {
                i++; // unfolding: the CRLF goes, the WSP after it stays (and joins the run)
            } else if (isWsp(c)) {
                space = true;
            } else {
                if (space && out.length() > valueStart) { // WSP right after the colon goes, as at the end
                    out.append(' ');
                }
                space = false;
                out.append(c);
            }
        }
        return out.toString();
    }

    static boolean isWsp(int c) {
        return c == ' ' || c == '\t';
    }

    /** ASCII only: header field names and DKIM keywords are ASCII, and the default locale must not matter. */
    static String lowerCase(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return out == null ? text : out.toString();
    }
}
