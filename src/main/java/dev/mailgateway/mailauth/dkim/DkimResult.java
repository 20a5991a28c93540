package dev.mailgateway.mailauth.dkim;

/**
 * The outcome of one DKIM-Signature (RFC 6376 §6.1, RFC 8601 §2.7.1).
 *
 * @param result        the result
 * @param domain        d= (null when the signature could not be parsed far enough)
 * @param selector      s=
 * @param identity      i= (null when absent)
 * @param algorithm     a= (e.g. rsa-sha256, ed25519-sha256)
 * @param signature     b= without whitespace (Authentication-Results shows its first characters as header.b)
 * @param partialBody   l= was given and covers less than the whole body
 * @param reason        why it is not a pass (or a note on a pass, such as the l= one), for comments; may be null
 */
public record DkimResult(Result result, String domain, String selector, String identity, String algorithm,
        String signature, boolean partialBody, String reason) {

    /** As {@link DkimVerifier} gives them. */
    public enum Result {
        /** The signature verified, with a key DNS gave for d= and s=. */
        PASS,
        /** The body hash or the signature did not verify, l= is longer than the body, or the key is revoked. */
        FAIL,
        /** Not given by the verifier (RFC 8601 keeps it for signatures that cannot be judged). */
        NEUTRAL,
        /** The key lookup timed out or failed (SERVFAIL): asking later may give an answer. */
        TEMPERROR,
        /**
         * The signature or its key record is malformed or does not fit (missing tag, i= outside d=, h= without
         * From, k=/h=/s=/t=s of the record), there is no key, the signature expired (x=), or a limit was reached
         * (too many signatures, header section too large).
         */
        PERMERROR,
        /** Valid or not, not acceptable (RFC 8301): rsa-sha1, or an RSA key under 1024 bits. */
        POLICY;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
