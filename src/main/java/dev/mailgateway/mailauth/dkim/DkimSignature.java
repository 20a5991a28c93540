package dev.mailgateway.mailauth.dkim;

import dev.mailgateway.dns.Dns;
import dev.mailgateway.mailauth.dkim.DkimResult.Result;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One DKIM-Signature field, parsed and checked as far as it can be without the key (RFC 6376 §3.5, §6.1.1).
 *
 * @param field         the field as received (ISO-8859-1 text, folding kept, no final CRLF)
 * @param tags          its tags
 * @param algorithm     a=
 * @param header        c= for the header
 * @param body          c= for the body
 * @param domain        d= as written (UTF-8 decoded)
 * @param selector      s= as written
 * @param keyName       where the key is: {@code <s>._domainkey.<d>} in ASCII (A-labels)
 * @param identity      i= as written, or null
 * @param identityDomain the domain of i=, or of "@d" when i= is absent, in lower case
 * @param signedHeaders h=, names in lower case, in order
 * @param bodyHash      bh= decoded
 * @param signature     b= decoded
 * @param length        l=, or -1 when absent (a value too large for a long is {@link Long#MAX_VALUE})
 */
record DkimSignature(String field, TagList tags, SignatureAlgorithm algorithm, Canonicalization header,
        Canonicalization body, String domain, String selector, String keyName, String identity,
        String identityDomain, List<String> signedHeaders, byte[] bodyHash, byte[] signature, long length) {

    private static final List<String> REQUIRED = List.of("v", "a", "b", "bh", "d", "h", "s");

    /**
     * @param field the DKIM-Signature field as received (ISO-8859-1 text, folding kept, no final CRLF)
     * @param now   the time now in seconds since the epoch, for x=
     * @throws DkimException PERMERROR for a malformed or expired signature, POLICY for rsa-sha1
     */
    static DkimSignature parse(String field, long now) throws DkimException {
        TagList tags = TagList.parse(field, field.indexOf(':') + 1);
        for (String tag : REQUIRED) {
            if (tags.get(tag) == null) {
                throw permerror("missing tag " + tag + "=");
            }
        }
        if (!tags.get("v").equals("1")) {
            throw permerror("unknown version v=" + TagList.shown(tags.get("v")));
        }
        SignatureAlgorithm algorithm = SignatureAlgorithm.of(tags.get("a"));
        if (algorithm == null) {
            throw permerror("unknown algorithm a=" + TagList.shown(tags.get("a")));
        }
        byte[] signature = base64("b", tags.get("b"));
        byte[] bodyHash = base64("bh", tags.get("bh"));
        Canonicalization[] canonicalization = Canonicalization.parse(tags.get("c"));

        String domain = utf8(tags.get("d"));
        String selector = utf8(tags.get("s"));
        String keyName = keyName(selector, domain);
        String identity = tags.get("i") == null ? null : utf8(tags.get("i"));
        String identityDomain = identityDomain(identity, domain);
        List<String> signedHeaders = signedHeaders(tags.get("h"));
        long length = number("l", tags.get("l"), 76);
        checkQueryMethods(tags.get("q"));
        checkTimes(tags, now);

        if (algorithm == SignatureAlgorithm.RSA_SHA1) { // after the syntax: a malformed one is a permerror first
            throw new DkimException(Result.POLICY, "rsa-sha1 is not acceptable (RFC 8301)");
        }
        return new DkimSignature(field, tags, algorithm, canonicalization[0], canonicalization[1], domain, selector,
                keyName, identity, identityDomain, signedHeaders, bodyHash, signature, length);
    }

    /** This signature's result. */
    DkimResult result(Result result, boolean partialBody, String reason) {
        return new DkimResult(result, domain, selector, identity, Canonicalization.lowerCase(tags.get("a")),
                TagList.unfolded(tags.get("b")), partialBody, reason);
    }

    /** The result of a field that did not parse: with what of d=, s=, i=, a= and b= can be read from it. */
    static DkimResult unparsed(String field, Result result, String reason) {
        TagList tags;
        try {
            tags = TagList.parse(field, field.indexOf(':') + 1);
        } catch (DkimException e) {
            return new DkimResult(result, null, null, null, null, null, false, reason);
        }
        String b = tags.get("b");
        String a = tags.get("a");
        return new DkimResult(result, utf8(tags.get("d")), utf8(tags.get("s")), utf8(tags.get("i")),
                a == null ? null : Canonicalization.lowerCase(a), b == null ? null : TagList.unfolded(b), false,
                reason);
    }

    /**
     * The signature's own field as it is hashed, last (§3.7): b= emptied, with the whitespace around its value, and
     * canonicalized as the header is. The caller adds no CRLF.
     */
    String hashedField() {
        int[] span = tags.span("b");
        return header.header(field.substring(0, span[0]) + field.substring(span[1]));
    }

    private static String keyName(String selector, String domain) throws DkimException {
        String name;
        try {
            name = IDN.toASCII(selector, IDN.ALLOW_UNASSIGNED) + "._domainkey." + IDN.toASCII(domain,
                    IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw permerror("d= or s= is not a domain name");
        }
        if (domain.isEmpty() || selector.isEmpty() || domain.startsWith(".") || !Dns.canQuery(name)) {
            throw permerror("d= or s= is not a domain name");
        }
        return name;
    }

    /** §3.5 i=: the domain of the identity must be d= or below it. */
    private static String identityDomain(String identity, String domain) throws DkimException {
        String lowerDomain = lowerCaseDomain(domain);
        if (identity == null) {
            return lowerDomain;
        }
        int at = identity.lastIndexOf('@');
        if (at < 0) {
            throw permerror("i= has no @");
        }
        String identityDomain = lowerCaseDomain(identity.substring(at + 1));
        if (!identityDomain.equals(lowerDomain) && !identityDomain.endsWith("." + lowerDomain)) {
            throw permerror("i= is not within d=");
        }
        return identityDomain;
    }

    /** §3.5 h=: names separated by colons, with FWS around them; From must be one (§5.4). */
    private static List<String> signedHeaders(String value) throws DkimException {
        List<String> names = new ArrayList<>();
        for (String part : value.split(":", -1)) {
            String name = Canonicalization.lowerCase(part.strip());
            if (name.isEmpty() || !isFieldName(name)) {
                throw permerror("h= has a bad field name: " + TagList.shown(part));
            }
            names.add(name);
        }
        if (!names.contains("from")) {
            throw permerror("h= does not include From");
        }
        return List.copyOf(names);
    }

    private static boolean isFieldName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x21 || c > 0x7E) { // ftext: printable US-ASCII but ":" (split on already)
                return false;
            }
        }
        return true;
    }

    private static void checkQueryMethods(String value) throws DkimException {
        if (value == null) {
            return;
        }
        for (String method : value.split(":")) {
            if (Canonicalization.lowerCase(method.strip()).equals("dns/txt")) {
                return;
            }
        }
        throw permerror("no known query method q=" + TagList.shown(value));
    }

    /**
     * t= in the future is tolerated: clocks differ, and the signature's hash says nothing about the time. x= past
     * (§6.1.1 allows ignoring the signature with PERMFAIL "signature expired"): PERMERROR, before any key lookup.
     * The signature is not wrong, it is over; FAIL would say the message was altered.
     */
    private static void checkTimes(TagList tags, long now) throws DkimException {
        long signed = number("t", tags.get("t"), 12);
        long expires = number("x", tags.get("x"), 12);
        if (expires >= 0 && signed >= 0 && expires < signed) {
            throw permerror("x= is before t=");
        }
        if (expires >= 0 && now > expires) {
            throw permerror("signature expired");
        }
    }

    /** A decimal number of at most {@code maxDigits} digits; -1 when absent; too big for a long is MAX_VALUE. */
    private static long number(String tag, String value, int maxDigits) throws DkimException {
        if (value == null) {
            return -1;
        }
        if (value.isEmpty() || value.length() > maxDigits || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw permerror("bad number " + tag + "=" + TagList.shown(value));
        }
        return value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
    }

    private static byte[] base64(String tag, String value) throws DkimException {
        String text = TagList.unfolded(value);
        if (text.isEmpty()) {
            throw permerror("empty " + tag + "=");
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw permerror(tag + "= is not base64");
        }
    }

    /** Tag values are octets (ISO-8859-1 text here); d=, s= and i= may be UTF-8 (RFC 8616). */
    private static String utf8(String octets) {
        return octets == null ? null : new String(octets.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** A domain for comparison: ASCII letters in lower case, no final dot. */
    static String lowerCaseDomain(String domain) {
        String ascii = Canonicalization.lowerCase(domain);
        return ascii.endsWith(".") ? ascii.substring(0, ascii.length() - 1) : ascii;
    }

    private static DkimException permerror(String reason) {
        return new DkimException(Result.PERMERROR, reason);
    }
}
