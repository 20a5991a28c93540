package dev.mailgateway.mailauth.dkim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash of a canonicalized body, or of its first l= octets. Signatures with the same canonicalization, hash and
 * l= share one.
 */
final class BodyHash implements BodyCanonicalizer.Sink {

    private final MessageDigest digest;
    private final long limit;
    private long taken;
    private byte[] value;

    /** @param limit the l= value, or {@link Long#MAX_VALUE} for the whole body */
    BodyHash(String algorithm, long limit) {
        try {
            this.digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
        this.limit = limit;
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
        int n = (int) Math.min(length, limit - taken);
        if (n > 0) {
            digest.update(bytes, offset, n);
            taken += n;
        }
    }

    /** The hash of what came (once the body has been read to its end). */
    byte[] value() {
        if (value == null) {
            value = digest.digest();
        }
        return value.clone();
    }
}
