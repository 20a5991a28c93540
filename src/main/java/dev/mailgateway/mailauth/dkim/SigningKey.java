package dev.mailgateway.mailauth.dkim;

import java.nio.file.Path;
import java.security.PrivateKey;

/**
 * One signing key of ours: the domain it signs for (d=), its selector (s=), the algorithm its type implies
 * (rsa-sha256 or ed25519-sha256) and the file it came from.
 */
public final class SigningKey {

    private final String domain;
    private final String selector;
    private final SignatureAlgorithm algorithm;
    private final PrivateKey key;
    private final Path file;

    SigningKey(String domain, String selector, SignatureAlgorithm algorithm, PrivateKey key, Path file) {
        this.domain = domain;
        this.selector = selector;
        this.algorithm = algorithm;
        this.key = key;
        this.file = file;
    }

    /** d=: a lookup key (lower case, ASCII form). */
    public String domain() {
        return domain;
    }

    /** s=. */
    public String selector() {
        return selector;
    }

    /** a=: rsa-sha256 or ed25519-sha256. */
    public String algorithm() {
        return algorithm.tag();
    }

    public Path file() {
        return file;
    }

    SignatureAlgorithm signatureAlgorithm() {
        return algorithm;
    }

    PrivateKey privateKey() {
        return key;
    }

    /** What a signature with it is called in MailDkimSigned and the log: {@code d=example.org s=sel rsa-sha256}. */
    @Override
    public String toString() {
        return "d=" + domain + " s=" + selector + " " + algorithm.tag();
    }
}
