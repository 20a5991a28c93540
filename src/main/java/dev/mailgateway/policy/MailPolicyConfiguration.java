package dev.mailgateway.policy;

import java.time.Duration;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Options of the {@code mail-policy} blocks. The component holds the defaults (from the {@code gateway.policy.*}
 * keys in config/application.properties); an endpoint may override any of them in its URI, e.g.
 * {@code mail-policy:dnsbl?sites=zen.example*2&threshold=2}. A block with nothing configured passes everything.
 */
@UriParams
public class MailPolicyConfiguration implements Cloneable {

    @UriParam(description = "Refuse on the block's own finding: set SmtpdReply to its proposed reply and end the"
            + " route. Off: only MailScore, MailReasons and MailReply are set, the route decides")
    private boolean reject;
    @UriParam(label = "dnsbl", description = "DNSBL sites as Postfix's postscreen_dnsbl_sites:"
            + " domain[=pattern][*weight], comma-separated; a negative weight makes an allowlist")
    private String dnsbl = "";
    @UriParam(label = "dnsbl", defaultValue = "1", description = "DNSBL score at or over which the client is refused")
    private int dnsblThreshold = 1;
    @UriParam(label = "rhsbl", description = "Domain lists for the sender's domain and the HELO name, same syntax")
    private String rhsbl = "";
    @UriParam(label = "rhsbl", defaultValue = "1", description = "RHSBL score at or over which mail is refused")
    private int rhsblThreshold = 1;
    @UriParam(defaultValue = "postmaster@*,abuse@*", description = "Recipients every client may reach, listed or"
            + " greylisted: local@domain patterns with *")
    private String exemptRecipients = "postmaster@*,abuse@*";
    @UriParam(label = "greylist", description = "Greylist at RCPT (the greylist block does nothing when off)")
    private boolean greylist;
    @UriParam(label = "greylist", defaultValue = "5m", description = "A triplet retried after this long passes")
    private Duration greylistDelay = Duration.ofMinutes(5);
    @UriParam(label = "greylist", defaultValue = "2d", description = "... if retried within this long of first sight")
    private Duration greylistWindow = Duration.ofDays(2);
    @UriParam(label = "greylist", defaultValue = "5", description = "Passes after which a client network is not"
            + " greylisted any more (0: never)")
    private int greylistAutoAllow = 5;
    @UriParam(label = "greylist", defaultValue = "35d", description = "How long passed triplets and auto-allowed"
            + " networks are remembered")
    private Duration greylistRemember = Duration.ofDays(35);
    @UriParam(label = "rate-limit", description = "Limits subject:event=count/window, comma-separated, e.g."
            + " client:connections=60/1m,client:messages=200/1h,sender:messages=500/1h,user:messages=1000/1h")
    private String rateLimits = "";
    @UriParam(label = "rate-limit", description = "Apply rate limits to trusted networks too")
    private boolean rateLimitTrusted;
    @UriParam(label = "verify-recipient", description = "Probe the next hop for relay-domain recipients the"
            + " recipient map does not name (the verify-recipient block does nothing when off)")
    private boolean verifyRecipients;
    @UriParam(label = "verify-recipient", description = "Relay domains (.domain: its subdomains)")
    private String relayDomains = "";
    @UriParam(label = "verify-recipient", description = "The recipient map file; recipients it names are not probed")
    private String recipientMap = "";
    @UriParam(label = "verify-recipient", defaultValue = "31d", description = "How long an accepted recipient is"
            + " remembered")
    private Duration verifyPositiveTtl = Duration.ofDays(31);
    @UriParam(label = "verify-recipient", defaultValue = "3d", description = "How long a refused recipient is"
            + " remembered")
    private Duration verifyNegativeTtl = Duration.ofDays(3);

    public MailPolicyConfiguration copy() {
        try {
            return (MailPolicyConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public boolean isReject() {
        return reject;
    }

    public void setReject(boolean reject) {
        this.reject = reject;
    }

    public String getDnsbl() {
        return dnsbl;
    }

    public void setDnsbl(String dnsbl) {
        this.dnsbl = dnsbl;
    }

    public int getDnsblThreshold() {
        return dnsblThreshold;
    }

    public void setDnsblThreshold(int dnsblThreshold) {
        this.dnsblThreshold = dnsblThreshold;
    }

    public String getRhsbl() {
        return rhsbl;
    }

    public void setRhsbl(String rhsbl) {
        this.rhsbl = rhsbl;
    }

    public int getRhsblThreshold() {
        return rhsblThreshold;
    }

    public void setRhsblThreshold(int rhsblThreshold) {
        this.rhsblThreshold = rhsblThreshold;
    }

    public String getExemptRecipients() {
        return exemptRecipients;
    }

    public void setExemptRecipients(String exemptRecipients) {
        this.exemptRecipients = exemptRecipients;
    }

    public boolean isGreylist() {
        return greylist;
    }

    public void setGreylist(boolean greylist) {
        this.greylist = greylist;
    }

    public Duration getGreylistDelay() {
        return greylistDelay;
    }

    public void setGreylistDelay(Duration greylistDelay) {
        this.greylistDelay = greylistDelay;
    }

    public Duration getGreylistWindow() {
        return greylistWindow;
    }

    public void setGreylistWindow(Duration greylistWindow) {
        this.greylistWindow = greylistWindow;
    }

    public int getGreylistAutoAllow() {
        return greylistAutoAllow;
    }

    public void setGreylistAutoAllow(int greylistAutoAllow) {
        this.greylistAutoAllow = greylistAutoAllow;
    }

    public Duration getGreylistRemember() {
        return greylistRemember;
    }

    public void setGreylistRemember(Duration greylistRemember) {
        this.greylistRemember = greylistRemember;
    }

    public String getRateLimits() {
        return rateLimits;
    }

    public void setRateLimits(String rateLimits) {
        this.rateLimits = rateLimits;
    }

    public boolean isRateLimitTrusted() {
        return rateLimitTrusted;
    }

    public void setRateLimitTrusted(boolean rateLimitTrusted) {
        this.rateLimitTrusted = rateLimitTrusted;
    }

    public boolean isVerifyRecipients() {
        return verifyRecipients;
    }

    public void setVerifyRecipients(boolean verifyRecipients) {
        this.verifyRecipients = verifyRecipients;
    }

    public String getRelayDomains() {
        return relayDomains;
    }

    public void setRelayDomains(String relayDomains) {
        this.relayDomains = relayDomains;
    }

    public String getRecipientMap() {
        return recipientMap;
    }

    public void setRecipientMap(String recipientMap) {
        this.recipientMap = recipientMap;
    }

    public Duration getVerifyPositiveTtl() {
        return verifyPositiveTtl;
    }

    public void setVerifyPositiveTtl(Duration verifyPositiveTtl) {
        this.verifyPositiveTtl = verifyPositiveTtl;
    }

    public Duration getVerifyNegativeTtl() {
        return verifyNegativeTtl;
    }

    public void setVerifyNegativeTtl(Duration verifyNegativeTtl) {
        this.verifyNegativeTtl = verifyNegativeTtl;
    }
}
