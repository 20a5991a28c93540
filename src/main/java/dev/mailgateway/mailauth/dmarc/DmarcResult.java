package dev.mailgateway.mailauth.dmarc;

/**
 * The outcome of DMARC (RFC 7489) for one message.
 *
 * @param result          PASS (aligned SPF or DKIM pass), FAIL, NONE (no policy: no record, several records, or a
 *                        record DMARC does not apply, such as a bad p= without rua=), TEMPERROR (DNS failure on the
 *                        way), PERMERROR (no single From domain to check: several different ones, or none that
 *                        parses; {@link DmarcVerifier} explains the choice)
 * @param fromDomain      the RFC5322.From domain (null when there is none or several)
 * @param policy          the domain's requested policy for this message (p=, or sp= for a subdomain); NONE when
 *                        there is no record
 * @param disposition     what the policy asks for this message after pct= sampling: NONE, QUARANTINE or REJECT;
 *                        NONE whenever the result is not FAIL
 * @param spfAligned      SPF passed for a domain aligned with the From domain (in the record's aspf= mode; relaxed
 *                        when there is no record to say)
 * @param dkimAligned     some DKIM signature passed for a domain aligned with the From domain (adkim=, likewise)
 * @param reason          a short note for logs and comments (e.g. "no aligned pass", "pct=0 sampled out")
 */
public record DmarcResult(Result result, String fromDomain, Policy policy, Policy disposition, boolean spfAligned,
        boolean dkimAligned, String reason) {

    public enum Result {
        PASS, FAIL, NONE, TEMPERROR, PERMERROR;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Policy { NONE, QUARANTINE, REJECT }
}
