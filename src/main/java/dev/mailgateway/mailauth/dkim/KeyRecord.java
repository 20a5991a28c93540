package dev.mailgateway.mailauth.dkim;

import dev.mailgateway.mailauth.dkim.DkimResult.Result;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.xbill.DNS.TXTRecord;

/**
 * A DKIM key record (RFC 6376 §3.6.1), as it applies to one signature: the key, and whether the record lets that
 * signature use it.
 *
 * @param key      the public key; null when p= is empty (revoked)
 * @param testing  t=y: the domain is testing DKIM (RFC 6376 says to treat the message as unsigned; the result says
 *                 so in its reason and is otherwise unchanged)
 */
record KeyRecord(PublicKey key, boolean testing) {

    /** The shortest RSA key a pass may rest on (RFC 8301 §3.2). */
    static final int MIN_RSA_BITS = 1024;

    /** SubjectPublicKeyInfo up to the key's 32 octets: algorithm Ed25519 (RFC 8410), BIT STRING of 33 octets. */
    private static final byte[] ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    /** AlgorithmIdentifier rsaEncryption with NULL parameters, to wrap a bare PKCS#1 RSAPublicKey. */
    private static final byte[] RSA_ALGORITHM = HexFormat.of().parseHex("300d06092a864886f70d0101010500");

    /**
     * The one key record among a TXT answer's records (each record's strings joined without separator, §3.6.2.2),
     * checked against the signature.
     *
     * @throws DkimException PERMERROR when there is no record or more than one, the record is malformed, does not
     *                       allow this signature (h=, k=, s=, t=s) or holds a key that cannot be read; FAIL when
     *                       the key is revoked (§6.1.2: "treat this as a failed signature check"); POLICY for an
     *                       RSA key under {@value #MIN_RSA_BITS} bits
     */
    static KeyRecord select(List<org.xbill.DNS.Record> records, DkimSignature signature) throws DkimException {
        List<String> texts = new ArrayList<>();
        for (org.xbill.DNS.Record record : records) {
            if (record instanceof TXTRecord txt) {
                StringBuilder text = new StringBuilder();
                for (byte[] string : txt.getStringsAsByteArrays()) {
                    text.append(new String(string, StandardCharsets.ISO_8859_1));
                }
                // §3.6.1 v=: records starting with another version are discarded (and other TXT data there too)
                if (!text.toString().stripLeading().startsWith("v=") || isVersion1(text.toString())) {
                    texts.add(text.toString());
                }
            }
        }
        if (texts.isEmpty()) {
            throw permerror("no DKIM key record at " + signature.keyName());
        }
        if (texts.size() > 1) { // §3.6.2.2: the result of several is undefined; none is picked at random here
            throw permerror(texts.size() + " key records at " + signature.keyName());
        }
        return parse(texts.get(0), signature);
    }

    static KeyRecord parse(String text, DkimSignature signature) throws DkimException {
        TagList tags;
        try {
            tags = TagList.parse(text, 0);
        } catch (DkimException e) {
            throw permerror("key record: " + e.getMessage());
        }
        String version = tags.get("v");
        if (version != null && (!version.equals("DKIM1") || !tags.asMap().keySet().iterator().next().equals("v"))) {
            throw permerror("key record: v= must be DKIM1 and first");
        }
        SignatureAlgorithm algorithm = signature.algorithm();
        List<String> hashes = list(tags.get("h"));
        if (hashes != null && !hashes.contains(algorithm.hashName())) {
            throw permerror("key record does not allow " + algorithm.hashName() + " (h=)");
        }
        String keyType = tags.get("k") == null ? "rsa" : Canonicalization.lowerCase(tags.get("k"));
        if (!keyType.equals(algorithm.keyType())) {
            throw permerror("key record is k=" + TagList.shown(keyType) + ", the signature " + algorithm.tag());
        }
        List<String> services = list(tags.get("s"));
        if (services != null && !services.contains("*") && !services.contains("email")) {
            throw permerror("key record is not for email (s=)");
        }
        List<String> flags = list(tags.get("t"));
        boolean strict = flags != null && flags.contains("s");
        if (strict && !signature.identityDomain().equals(DkimSignature.lowerCaseDomain(signature.domain()))) {
            throw permerror("key record t=s: i= must be in d= itself, not below it");
        }
        String p = tags.get("p");
        if (p == null) {
            throw permerror("key record without p=");
        }
        String encoded = TagList.unfolded(p);
        if (encoded.isEmpty()) {
            throw new DkimException(Result.FAIL, "key revoked");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw permerror("key record: p= is not base64");
        }
        PublicKey key = algorithm.keyType().equals("rsa") ? rsa(der) : ed25519(der);
        return new KeyRecord(key, flags != null && flags.contains("y"));
    }

    /**
     * RFC 6376 says RSAPublicKey (PKCS#1), and what is published is nearly always SubjectPublicKeyInfo (what
     * {@code openssl rsa -pubout} writes): both are read.
     */
    private static PublicKey rsa(byte[] der) throws DkimException {
        PublicKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException spki) {
            try {
                key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo(der)));
            } catch (GeneralSecurityException | RuntimeException pkcs1) {
                throw permerror("key record: p= is not an RSA public key");
            }
        }
        if (!(key instanceof RSAPublicKey rsa)) {
            throw permerror("key record: p= is not an RSA public key");
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_RSA_BITS) {
            throw new DkimException(Result.POLICY, "RSA key of " + bits + " bits, under " + MIN_RSA_BITS
                    + " (RFC 8301)");
        }
        return key;
    }

    /** RFC 8463 §4: p= is the 32 octets of the public key itself. */
    private static PublicKey ed25519(byte[] raw) throws DkimException {
        if (raw.length != 32) {
            throw permerror("key record: an Ed25519 key is 32 octets, not " + raw.length);
        }
        byte[] der = new byte[ED25519_PREFIX.length + raw.length];
        System.arraycopy(ED25519_PREFIX, 0, der, 0, ED25519_PREFIX.length);
        System.arraycopy(raw, 0, der, ED25519_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw permerror("key record: p= is not an Ed25519 public key");
        }
    }

    /** SEQUENCE { rsaEncryption, BIT STRING { RSAPublicKey } }. */
    private static byte[] subjectPublicKeyInfo(byte[] rsaPublicKey) {
        ByteArrayOutputStream bitString = new ByteArrayOutputStream();
        bitString.write(0); // no unused bits
        bitString.writeBytes(rsaPublicKey);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(RSA_ALGORITHM);
        body.writeBytes(derElement(0x03, bitString.toByteArray()));
        return derElement(0x30, body.toByteArray());
    }

    private static byte[] derElement(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static boolean isVersion1(String text) {
        try {
            return "DKIM1".equals(TagList.parse(text, 0).get("v"));
        } catch (DkimException e) {
            return true; // it claims to be a key record: parse() says what is wrong with it
        }
    }

    /** A colon-separated list in lower case, or null when the tag is absent. */
    private static List<String> list(String value) {
        if (value == null) {
            return null;
        }
        List<String> items = new ArrayList<>();
        for (String item : value.split(":")) {
            items.add(Canonicalization.lowerCase(item.strip()));
        }
        return items;
    }

    private static DkimException permerror(String reason) {
        return new DkimException(Result.PERMERROR, reason);
    }
}
