package dev.mailgateway.mailauth.spf;

/**
 * The outcome of an SPF check (RFC 7208 §2.6) of one identity.
 *
 * @param result      the result
 * @param identity    {@code mailfrom} or {@code helo}: which identity was checked
 * @param domain      the domain checked (the MAIL FROM domain, or the HELO name)
 * @param explanation for FAIL: the domain's explanation (exp=), or a default text; otherwise null
 * @param problem     for TEMPERROR and PERMERROR: what went wrong, for logs and Authentication-Results comments
 */
public record SpfResult(Result result, String identity, String domain, String explanation, String problem) {

    public enum Result {
        PASS, FAIL, SOFTFAIL, NEUTRAL, NONE, TEMPERROR, PERMERROR;

        /** The name Authentication-Results and Received-SPF use (RFC 8601 §2.7.2). */
        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
