package dev.mailgateway.mailauth.dkim;

import dev.mailgateway.files.OwnerOnly;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * {@code java -jar target/mail-gateway.jar dkim-keygen DOMAIN SELECTOR [rsa|ed25519]}: makes a signing key (RSA
 * 2048 bits unless told ed25519), writes it to {@code <keys>/<domain>.<selector>.key} (PKCS#8 PEM, readable by its
 * owner only) and prints the DNS record to publish, as a zone file line. An existing file is never overwritten: a
 * new key gets a new selector, and the old one keeps signing until its file is removed.
 */
public final class DkimKeygen {

    /** TXT character-strings hold at most 255 octets; a 2048-bit key's record is about 400. */
    private static final int STRING_LENGTH = 255;
    /** SubjectPublicKeyInfo of Ed25519 is 12 octets of structure, then the key's 32 (RFC 8410). */
    private static final int ED25519_RAW_LENGTH = 32;

    private DkimKeygen() {
    }

    /** @return the exit status: 0 written, 1 refused (the file exists, or it cannot be written), 2 usage */
    public static int run(String[] args, Path keys, PrintStream out, PrintStream err) {
        String type = args.length == 3 ? args[2] : "rsa";
        if (args.length < 2 || args.length > 3 || !List.of("rsa", "ed25519").contains(type)) {
            err.println("usage: java -jar target/mail-gateway.jar dkim-keygen DOMAIN SELECTOR [rsa|ed25519]"
                    + "   (rsa: 2048 bits; the key goes to " + keys + ", gateway.dkim.keys)");
            return 2;
        }
        String name;
        try {
            name = SigningKeyFile.fileName(args[0], args[1]);
        } catch (IllegalArgumentException e) {
            err.println("dkim-keygen: " + e.getMessage());
            return 2;
        }
        Path file = keys.resolve(name);
        if (Files.exists(file)) {
            err.println("dkim-keygen: " + file + " exists; choose another selector for a new key");
            return 1;
        }
        try {
            KeyPair pair = generate(type);
            OwnerOnly.directory(keys);
            OwnerOnly.writeSecret(file, pem(pair.getPrivate().getEncoded()));
            SigningKey key = SigningKeyFile.read(file); // what the gateway will load, checked now
            out.println("; " + file + " written: publish this record, then the gateway signs mail from "
                    + key.domain() + " with it (" + key.algorithm() + ")");
            out.println(record(key, pair));
            return 0;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            err.println("dkim-keygen: " + file + " could not be written: " + e.getMessage());
            return 1;
        }
    }

    private static KeyPair generate(String type) throws GeneralSecurityException {
        if (type.equals("ed25519")) {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(SigningKeyFile.RECOMMENDED_RSA_BITS);
        return generator.generateKeyPair();
    }

    private static byte[] pem(byte[] pkcs8) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8);
        return ("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * {@code <selector>._domainkey.<domain>. IN TXT "v=DKIM1; k=rsa; p=..." "..."}: p= is the SubjectPublicKeyInfo
     * for RSA (what every verifier reads), the raw 32 octets for Ed25519 (RFC 8463 §4); cut into strings of 255.
     */
    static String record(SigningKey key, KeyPair pair) {
        byte[] spki = pair.getPublic().getEncoded();
        boolean ed25519 = key.signatureAlgorithm() == SignatureAlgorithm.ED25519_SHA256;
        byte[] p = ed25519 ? Arrays.copyOfRange(spki, spki.length - ED25519_RAW_LENGTH, spki.length) : spki;
        String text = "v=DKIM1; k=" + (ed25519 ? "ed25519" : "rsa") + "; p=" + Base64.getEncoder().encodeToString(p);
        List<String> strings = new ArrayList<>();
        for (int start = 0; start < text.length(); start += STRING_LENGTH) {
            strings.add("\"" + text.substring(start, Math.min(text.length(), start + STRING_LENGTH)) + "\"");
        }
        return key.selector() + "._domainkey." + key.domain() + ". IN TXT " + String.join(" ", strings);
    }
}
