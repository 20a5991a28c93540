package dev.mailgateway.mail;


/**
 * An envelope address: a mailbox (local-part@domain) as it travels in MAIL FROM and RCPT TO, or the null
 * reverse-path {@code <>}. The local part is kept exactly as the client wrote it (quotes included); the domain
 * compares case-insensitively.
 */
public final class MailAddress {

    private static final MailAddress NULL_SENDER = new MailAddress("", "");

    private final String localPart;
    private final String domain;
    private final String domainKey;

    private MailAddress(String localPart, String domain) {
        this.localPart = localPart;
        this.domain = domain;
        this.domainKey = DomainNames.key(domain);
    }

    /** The null reverse-path {@code <>}, used by bounces. */
    public static MailAddress nullSender() {
        return NULL_SENDER;
    }

    /**
     * Parses a mailbox (without angle brackets) in RFC 5321 syntax.
     *
     * @param allowUtf8 whether non-ASCII characters may appear (the client asked for SMTPUTF8)
     * @throws IllegalArgumentException when the text is not a mailbox
     */
    public static MailAddress parse(String mailbox, boolean allowUtf8) {
        int at = localPartEnd(mailbox);
        if (at <= 0 || at >= mailbox.length() - 1 || mailbox.charAt(at) != '@') {
            throw new IllegalArgumentException("not a mailbox: " + mailbox);
        }
        String local = mailbox.substring(0, at);
        String domain = mailbox.substring(at + 1);
        if (!AddressSyntax.isLocalPart(local, allowUtf8) || !AddressSyntax.isDomainOrLiteral(domain, allowUtf8)) {
            throw new IllegalArgumentException("not a mailbox: " + mailbox);
        }
        return new MailAddress(local, domain);
    }

    /** Index of the '@' that ends the local part, skipping any '@' inside a quoted local part; -1 if none. */
    private static int localPartEnd(String s) {
        if (s.isEmpty()) {
            return -1;
        }
        if (s.charAt(0) != '"') {
            return s.lastIndexOf('@');
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1 < s.length() ? i + 1 : -1;
            }
        }
        return -1;
    }

    public boolean isNullSender() {
        return this == NULL_SENDER;
    }

    public String localPart() {
        return localPart;
    }

    public String domain() {
        return domain;
    }

    /** The domain as a lookup key: lower case, punycode for an internationalized name. */
    public String domainKey() {
        return domainKey;
    }

    /** True when the address has a non-ASCII character (needs SMTPUTF8 to travel). */
    public boolean isUtf8() {
        return !AddressSyntax.isAscii(localPart) || !AddressSyntax.isAscii(domain);
    }

    /** The address as written in an envelope: {@code local@domain}, or the empty string for {@code <>}. */
    @Override
    public String toString() {
        return isNullSender() ? "" : localPart + "@" + domain;
    }

    /** Same mailbox: the local part exactly, the domain regardless of case and of its Unicode or ASCII form. */
    @Override
    public boolean equals(Object o) {
        return o instanceof MailAddress other
                && localPart.equals(other.localPart)
                && domainKey.equals(other.domainKey);
    }

    @Override
    public int hashCode() {
        return localPart.hashCode() * 31 + domainKey.hashCode();
    }
}
