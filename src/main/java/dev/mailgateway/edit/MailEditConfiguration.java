package dev.mailgateway.edit;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The options of the {@code mail-edit} blocks; each block reads its own (the label says which). Component-level
 * values ({@code camel.component.mail-edit.configuration.*}, from the {@code gateway.rewrite.*} and
 * {@code gateway.dkim.*} keys) are the defaults of every endpoint.
 */
@UriParams
public class MailEditConfiguration implements Cloneable {

    // ---- header
    @UriParam(label = "header", description = "A field to add on top of the header section, as 'Name: value'"
            + " (non-ASCII text as RFC 2047 encoded words unless the message came with SMTPUTF8; long values"
            + " folded). Not Received, MIME fields or fields allowed once (Subject, To...): set those")
    private String add;
    @UriParam(label = "header", description = "A field to set, as 'Name: value': every field of that name is"
            + " removed and this one added on top")
    private String set;
    @UriParam(label = "header", description = "Fields to remove: names or globs (X-Internal-*), comma-separated,"
            + " case-insensitive; folded fields go whole. Received, From, Date, MIME-Version, Content-Type and"
            + " Content-Transfer-Encoding are refused")
    private String remove;

    // ---- subject-tag
    @UriParam(label = "subject-tag", description = "What to put before the subject, e.g. [EXTERNAL] (nothing"
            + " when the subject already starts with it; Subject: <tag> when there is none)")
    private String tag;

    // ---- strip-received
    @UriParam(label = "strip-received", defaultValue = "true", description = "Also take the client's name,"
            + " address and TLS details out of our own Received line (host, protocol, queue id, recipient and date"
            + " stay)")
    private boolean hideClient = true;

    // ---- address-map
    @UriParam(label = "address-map", description = "The sender map file (canonical_maps lines: address, @domain,"
            + " /regex/ replacement); empty: none")
    private String senderMap;
    @UriParam(label = "address-map", description = "The recipient map file; empty: none")
    private String recipientMap;
    @UriParam(label = "address-map", defaultValue = "false", description = "Also rewrite the addresses in From,"
            + " Reply-To and Sender (sender map) and in To and Cc (recipient map), nothing else in those lines")
    private boolean headers;

    // ---- dkim-sign
    @UriParam(label = "dkim-sign", description = "The directory of signing keys, <domain>.<selector>.key (PEM)")
    @Metadata(defaultValue = "config/dkim")
    private String keys = "config/dkim";
    @UriParam(label = "dkim-sign", description = "The header fields to sign where present, comma-separated (From is"
            + " always signed); empty: RFC 6376's recommended list (From, Reply-To, Subject, Date, To, Cc, Sender,"
            + " Message-ID, In-Reply-To, References, the MIME, Resent-* and List-* fields)")
    private String signedHeaders;
    @UriParam(label = "dkim-sign", defaultValue = "From", description = "Signed fields listed once more than they"
            + " occur, so that one added later breaks the signature; comma-separated")
    private String oversignedHeaders = "From";

    public MailEditConfiguration copy() {
        try {
            return (MailEditConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getAdd() {
        return add;
    }

    public void setAdd(String add) {
        this.add = add;
    }

    public String getSet() {
        return set;
    }

    public void setSet(String set) {
        this.set = set;
    }

    public String getRemove() {
        return remove;
    }

    public void setRemove(String remove) {
        this.remove = remove;
    }

    public String getTag() {
        return tag;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    public boolean isHideClient() {
        return hideClient;
    }

    public void setHideClient(boolean hideClient) {
        this.hideClient = hideClient;
    }

    public String getSenderMap() {
        return senderMap;
    }

    public void setSenderMap(String senderMap) {
        this.senderMap = senderMap;
    }

    public String getRecipientMap() {
        return recipientMap;
    }

    public void setRecipientMap(String recipientMap) {
        this.recipientMap = recipientMap;
    }

    public boolean isHeaders() {
        return headers;
    }

    public void setHeaders(boolean headers) {
        this.headers = headers;
    }

    public String getKeys() {
        return keys;
    }

    public void setKeys(String keys) {
        this.keys = keys;
    }

    public String getSignedHeaders() {
        return signedHeaders;
    }

    public void setSignedHeaders(String signedHeaders) {
        this.signedHeaders = signedHeaders;
    }

    public String getOversignedHeaders() {
        return oversignedHeaders;
    }

    public void setOversignedHeaders(String oversignedHeaders) {
        this.oversignedHeaders = oversignedHeaders;
    }
}
