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

    public enum Result {
        PASS, FAIL, NEUTRAL, TEMPERROR, PERMERROR, POLICY;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
