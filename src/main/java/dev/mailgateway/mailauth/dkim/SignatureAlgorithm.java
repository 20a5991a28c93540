package dev.mailgateway.mailauth.dkim;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HexFormat;

/** The a= algorithms: RSA with SHA-256 (RFC 6376), Ed25519 with SHA-256 (RFC 8463), and rsa-sha1, only to refuse. */
enum SignatureAlgorithm {

    RSA_SHA256("rsa-sha256", "rsa", "SHA-256"),
    ED25519_SHA256("ed25519-sha256", "ed25519", "SHA-256"),
    /** RFC 8301 §3.1: never a valid signature. Known only to say so rather than "unknown algorithm". */
    RSA_SHA1("rsa-sha1", "rsa", "SHA-1");

    /** DER DigestInfo of SHA-256 (RFC 8017 §9.2 note 1): what PKCS#1 v1.5 puts before the 32 octets of hash. */
    private static final byte[] SHA256_DIGEST_INFO = HexFormat.of().parseHex("3031300d060960864801650304020105000420");

    private final String tag;
    private final String keyType;
    private final String digest;

    SignatureAlgorithm(String tag, String keyType, String digest) {
        this.tag = tag;
        this.keyType = keyType;
        this.digest = digest;
    }

    /** @return the algorithm, or null when a= names none of these */
    static SignatureAlgorithm of(String tag) {
        String lower = Canonicalization.lowerCase(tag);
        for (SignatureAlgorithm algorithm : values()) {
            if (algorithm.tag.equals(lower)) {
                return algorithm;
            }
        }
        return null;
    }

    String tag() {
        return tag;
    }

    /** The key record's k= this algorithm needs. */
    String keyType() {
        return keyType;
    }

    /** The MessageDigest name of the hash, for bh= and the header hash. */
    String digest() {
        return digest;
    }

    /** The key record's h= name of the hash (sha1, sha256). */
    String hashName() {
        return Canonicalization.lowerCase(digest.replace("-", ""));
    }

    /**
     * Checks b= against the SHA-256 hash of the signed header data. The hash is computed on the reading thread
     * while the key is still on its way, so only 32 octets wait for it rather than the header data: RSA gets the
     * DigestInfo wrapped around it (so NONEwithRSA checks exactly what SHA256withRSA would), and Ed25519 signs
     * that hash itself (RFC 8463 §3).
     *
     * @throws GeneralSecurityException when the key does not suit the algorithm (a bad key, not a bad signature)
     */
    boolean verify(PublicKey key, byte[] headerHash, byte[] signature) throws GeneralSecurityException {
        Signature verifier = engine();
        verifier.initVerify(key);
        verifier.update(signed(headerHash));
        try {
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) { // b= of the wrong length or shape: it does not verify
            return false;
        }
    }

    /**
     * b= for the SHA-256 hash of the signed header data: what {@link #verify} checks, made the same way.
     *
     * @throws GeneralSecurityException when the key does not suit the algorithm
     */
    byte[] sign(PrivateKey key, byte[] headerHash) throws GeneralSecurityException {
        Signature signer = engine();
        signer.initSign(key);
        signer.update(signed(headerHash));
        return signer.sign();
    }

    private Signature engine() throws GeneralSecurityException {
        return switch (this) {
            case RSA_SHA256 -> Signature.getInstance("NONEwithRSA");
            case ED25519_SHA256 -> Signature.getInstance("Ed25519");
            default -> throw new IllegalStateException(tag + " is refused before any key is fetched");
        };
    }

    /** What the engine signs: RSA the DigestInfo around the hash, Ed25519 the hash itself. */
    private byte[] signed(byte[] headerHash) {
        if (this != RSA_SHA256) {
            return headerHash;
        }
        byte[] digestInfo = new byte[SHA256_DIGEST_INFO.length + headerHash.length];
        System.arraycopy(SHA256_DIGEST_INFO, 0, digestInfo, 0, SHA256_DIGEST_INFO.length);
        System.arraycopy(headerHash, 0, digestInfo, SHA256_DIGEST_INFO.length, headerHash.length);
        return digestInfo;
    }
}
