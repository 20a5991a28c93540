package dev.mailgateway.mailauth.dkim;

import dev.mailgateway.testing.DnsServer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;

/**
 * Signing keys made with the JDK, in the forms dkimpy signs with (PEM PKCS#8 for RSA, the base64 32-octet seed for
 * Ed25519) and the key record DNS publishes. Made once per test class: RSA key generation is slow on a busy machine.
 */
final class TestKeys {

    /** A key pair and its two outside forms. */
    record Key(String algorithm, KeyPair pair) {

        /** What dkimpy's sign() takes as privkey. */
        String pythonPrivateKey() {
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            if (algorithm.startsWith("ed25519")) {
                // PKCS#8 of Ed25519 (RFC 8410) is 16 octets of structure, then the 32-octet seed PyNaCl wants
                return Base64.getEncoder().encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32,
                        pkcs8.length));
            }
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8);
            return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
        }

        /** The TXT record's text: SubjectPublicKeyInfo for RSA, the raw 32 octets for Ed25519 (RFC 8463 §4). */
        String record() {
            byte[] spki = pair.getPublic().getEncoded();
            if (algorithm.startsWith("ed25519")) {
                return "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(
                        Arrays.copyOfRange(spki, spki.length - 32, spki.length));
            }
            return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(spki);
        }

        /** The key's p= value alone. */
        String p() {
            return record().substring(record().indexOf("p=") + 2);
        }

        /** Publishes {@link #record()} at {@code selector._domainkey.domain}. */
        void publish(DnsServer dns, String selector, String domain) {
            dns.longTxt(selector + "._domainkey." + domain, record());
        }
    }

    private TestKeys() {
    }

    static Key rsa(int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return new Key("rsa-sha256", generator.generateKeyPair());
    }

    static Key ed25519() throws GeneralSecurityException {
        return new Key("ed25519-sha256", KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    }

    /** The same RSA key, signing with rsa-sha1. */
    static Key sha1(Key rsa) {
        return new Key("rsa-sha1", rsa.pair());
    }
}
