package dev.mailgateway.mail;

/** Character-level checks of RFC 5321 address syntax (RFC 6531 when UTF-8 is allowed). */
final class AddressSyntax {

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private AddressSyntax() {
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Dot-string or quoted-string. Dots are not policed further: real mail has "a..b@" and Postfix takes it. */
    static boolean isLocalPart(String s, boolean utf8) {
        if (s.isEmpty()) {
            return false;
        }
        if (s.charAt(0) == '"') {
            return isQuotedString(s, utf8);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAtext(c, utf8) || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isQuotedString(String s, boolean utf8) {
        if (s.length() < 2 || s.charAt(s.length() - 1) != '"') {
            return false;
        }
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= s.length() - 1 || s.charAt(i) < 32 || s.charAt(i) == 127) {
                    return false;
                }
            } else if (c == '"' || c < 32 || c == 127 || (c >= 0x80 && !utf8)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAtext(char c, boolean utf8) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || ATEXT_SPECIALS.indexOf(c) >= 0
                || (utf8 && c >= 0x80 && !Character.isISOControl(c) && !Character.isWhitespace(c));
    }

    static boolean isDomainOrLiteral(String s, boolean utf8) {
        if (s.startsWith("[")) {
            return isAddressLiteral(s);
        }
        return isDomain(s, utf8);
    }

    /** Dotted labels of letters, digits and hyphens (U-labels too under SMTPUTF8); a trailing dot is refused. */
    static boolean isDomain(String s, boolean utf8) {
        if (s.isEmpty() || s.length() > 255) {
            return false;
        }
        int labelLength = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (labelLength == 0) {
                    return false;
                }
                labelLength = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || (utf8 && c >= 0x80 && Character.isLetterOrDigit(c))) {
                if (++labelLength > 63) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return labelLength > 0;
    }

    /** {@code [192.0.2.1]} or {@code [IPv6:2001:db8::1]}: only the characters are checked, not the numbers. */
    private static boolean isAddressLiteral(String s) {
        if (s.length() < 3 || !s.endsWith("]")) {
            return false;
        }
        String inner = s.substring(1, s.length() - 1);
        boolean v6 = inner.regionMatches(true, 0, "IPv6:", 0, 5);
        if (v6) {
            inner = inner.substring(5);
        }
        if (inner.isEmpty()) {
            return false;
        }
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || (v6 && (c == ':'
                    || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
