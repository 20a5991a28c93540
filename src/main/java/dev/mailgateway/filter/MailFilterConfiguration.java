package dev.mailgateway.filter;

import java.time.Duration;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * Options of the {@code mail-filter} blocks. The component holds the defaults (from the {@code gateway.spam.*} and
 * {@code gateway.content.*} keys in config/application.properties); an endpoint may override any of them in its
 * URI, e.g. {@code mail-filter:verdict?rejectScore=10}.
 */
@UriParams
public class MailFilterConfiguration implements Cloneable {

    @UriParam(description = "Refuse on the block's own finding (attachments: 554 5.7.1; verdict: its reply):"
            + " set SmtpdReply and end the route. Off: the findings are recorded and the route decides")
    private boolean reject;
    @UriParam(label = "attachments", description = "Quarantine a message with a blocked attachment (sets"
            + " MailQuarantine) instead of recording it only")
    private boolean quarantine;

    @UriParam(label = "rspamd", description = "Base URL of Rspamd's normal worker, e.g. http://127.0.0.1:11333"
            + " (the block adds /checkv2); blank: the block does nothing")
    private String rspamdUrl = "";
    @UriParam(label = "spamassassin", description = "spamd's host:port, e.g. 127.0.0.1:783; blank: the block does"
            + " nothing")
    private String spamdAddress = "";
    @UriParam(label = "spamassassin", defaultValue = "symbols", enums = "symbols,headers", description = "The spamd"
            + " command: SYMBOLS (score and rule names) or HEADERS (also reads the rule list from X-Spam-Status)")
    private String spamdMode = "symbols";
    @UriParam(label = "spamassassin", defaultValue = "512000", description = "Larger messages are not sent to spamd"
            + " (spamc's default: SpamAssassin takes seconds on large multipart mail)")
    private long spamdMaxSize = 512_000;
    @UriParam(label = "engine", defaultValue = "10s", description = "Longest wait for an engine's answer")
    private Duration engineTimeout = Duration.ofSeconds(10);
    @UriParam(label = "engine", defaultValue = "accept", enums = "accept,tempfail", description = "When an engine"
            + " times out, is down or answers garbage: accept (X-Spam-Status: Unknown, a warning, a counter) or"
            + " tempfail (451 4.7.1: the client keeps the message and retries)")
    private String onEngineFailure = "accept";
    @UriParam(label = "rspamd", defaultValue = "10485760", description = "Larger messages are not sent to Rspamd"
            + " (noted as RSPAMD_NOT_SCANNED); our own rules and attachment checks still read them")
    private long maxScanSize = 10L * 1024 * 1024;

    @UriParam(label = "rules", description = "The content rules file (reloaded when it changes); blank or absent:"
            + " GTUBE only")
    private String rulesFile = "";
    @UriParam(label = "rules", defaultValue = "3", description = "Score of each MIME defect or limit hit"
            + " (MIME_TOO_MANY_PARTS, MIME_TOO_DEEP, MIME_BAD_ENCODING...)")
    private double defectScore = 3;

    @UriParam(label = "attachments", description = "Blocked file name extensions, comma-separated, without the"
            + " dot; blank: the built-in list")
    private String blockedExtensions = "";
    @UriParam(label = "attachments", description = "Blocked MIME types, comma-separated; blank: the built-in list")
    private String blockedTypes = "";

    @UriParam(label = "verdict", defaultValue = "15", description = "Score at or over which mail is refused (550"
            + " 5.7.1); off: never by score")
    private String rejectScore = "15";
    @UriParam(label = "verdict", defaultValue = "off", description = "Score at or over which mail is quarantined;"
            + " off: never by score")
    private String quarantineScore = "off";
    @UriParam(label = "verdict", defaultValue = "6", description = "Score at or over which mail is tagged as spam"
            + " (X-Spam-Flag: YES); also the 'required' of X-Spam-Status")
    private String tagScore = "6";
    @UriParam(label = "verdict", description = "Refuse and quarantine mail of authenticated users and trusted"
            + " networks for its content too. Off (as Haraka): their spam is tagged, never refused")
    private boolean rejectOwnMail;
    @UriParam(label = "tag", description = "Prefix for the Subject of mail tagged as spam, e.g. [SPAM]; blank: the"
            + " subject stays")
    private String subjectTag = "";

    public MailFilterConfiguration copy() {
        try {
            return (MailFilterConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    /** A threshold, or NaN when it is off (blank, "off"). */
    static double threshold(String name, String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("off")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number or off, not " + value);
        }
    }

    public boolean isReject() {
        return reject;
    }

    public void setReject(boolean reject) {
        this.reject = reject;
    }

    public boolean isQuarantine() {
        return quarantine;
    }

    public void setQuarantine(boolean quarantine) {
        this.quarantine = quarantine;
    }

    public String getRspamdUrl() {
        return rspamdUrl;
    }

    public void setRspamdUrl(String rspamdUrl) {
        this.rspamdUrl = rspamdUrl;
    }

    public String getSpamdAddress() {
        return spamdAddress;
    }

    public void setSpamdAddress(String spamdAddress) {
        this.spamdAddress = spamdAddress;
    }

    public String getSpamdMode() {
        return spamdMode;
    }

    public void setSpamdMode(String spamdMode) {
        this.spamdMode = spamdMode;
    }

    public long getSpamdMaxSize() {
        return spamdMaxSize;
    }

    public void setSpamdMaxSize(long spamdMaxSize) {
        this.spamdMaxSize = spamdMaxSize;
    }

    public Duration getEngineTimeout() {
        return engineTimeout;
    }

    public void setEngineTimeout(Duration engineTimeout) {
        this.engineTimeout = engineTimeout;
    }

    public String getOnEngineFailure() {
        return onEngineFailure;
    }

    public void setOnEngineFailure(String onEngineFailure) {
        this.onEngineFailure = onEngineFailure;
    }

    public long getMaxScanSize() {
        return maxScanSize;
    }

    public void setMaxScanSize(long maxScanSize) {
        this.maxScanSize = maxScanSize;
    }

    public String getRulesFile() {
        return rulesFile;
    }

    public void setRulesFile(String rulesFile) {
        this.rulesFile = rulesFile;
    }

    public double getDefectScore() {
        return defectScore;
    }

    public void setDefectScore(double defectScore) {
        this.defectScore = defectScore;
    }

    public String getBlockedExtensions() {
        return blockedExtensions;
    }

    public void setBlockedExtensions(String blockedExtensions) {
        this.blockedExtensions = blockedExtensions;
    }

    public String getBlockedTypes() {
        return blockedTypes;
    }

    public void setBlockedTypes(String blockedTypes) {
        this.blockedTypes = blockedTypes;
    }

    public String getRejectScore() {
        return rejectScore;
    }

    public void setRejectScore(String rejectScore) {
        this.rejectScore = rejectScore;
    }

    public String getQuarantineScore() {
        return quarantineScore;
    }

    public void setQuarantineScore(String quarantineScore) {
        this.quarantineScore = quarantineScore;
    }

    public String getTagScore() {
        return tagScore;
    }

    public void setTagScore(String tagScore) {
        this.tagScore = tagScore;
    }

    public boolean isRejectOwnMail() {
        return rejectOwnMail;
    }

    public void setRejectOwnMail(boolean rejectOwnMail) {
        this.rejectOwnMail = rejectOwnMail;
    }

    public String getSubjectTag() {
        return subjectTag;
    }

    public void setSubjectTag(String subjectTag) {
        this.subjectTag = subjectTag;
    }
}
