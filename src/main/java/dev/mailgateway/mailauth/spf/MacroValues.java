package dev.mailgateway.mailauth.spf;

/**
 * What the macro letters of RFC 7208 §7.2 stand for while one domain's record is evaluated.
 *
 * @param sender        s: the identity checked, {@code local@domain} ("postmaster" when it had no local-part)
 * @param localPart     l
 * @param senderDomain  o
 * @param domain        d: the domain whose record is evaluated (changes with include and redirect)
 * @param ip            i, c, v: the client, 4 or 16 bytes (IPv4-mapped addresses already made IPv4)
 * @param validatedName p: the client's validated host name, "unknown" when there is none; null until looked up
 *                      (a DNS matter, done only for the macro-strings that use it)
 * @param helo          h: the HELO/EHLO name as given
 * @param receivingHost r: our host name (explanations only)
 * @param timestamp     t: seconds since the epoch (explanations only)
 */
record MacroValues(String sender, String localPart, String senderDomain, String domain, byte[] ip,
                   String validatedName, String helo, String receivingHost, long timestamp) {

    MacroValues withDomain(String newDomain) {
        return new MacroValues(sender, localPart, senderDomain, newDomain, ip, null, helo, receivingHost, timestamp);
    }

    MacroValues withValidatedName(String name) {
        return new MacroValues(sender, localPart, senderDomain, domain, ip, name, helo, receivingHost, timestamp);
    }

    /** @param letter lowercase, one that {@link MacroString} let through */
    String value(char letter) {
        return switch (letter) {
            case 's' -> sender;
            case 'l' -> localPart;
            case 'o' -> senderDomain;
            case 'd' -> domain;
            case 'i' -> IpAddresses.dotted(ip);
            case 'p' -> validatedName == null ? "unknown" : validatedName;
            case 'v' -> ip.length == 4 ? "in-addr" : "ip6";
            case 'h' -> helo;
            case 'c' -> IpAddresses.readable(ip);
            case 'r' -> receivingHost == null || receivingHost.isBlank() ? "unknown" : receivingHost;
            case 't' -> Long.toString(timestamp);
            default -> throw new IllegalArgumentException("not a macro letter: " + letter);
        };
    }
}
