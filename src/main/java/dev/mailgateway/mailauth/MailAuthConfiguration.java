package dev.mailgateway.mailauth;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** Options of the {@code mail-auth} blocks; the component holds the defaults, a URI may override them. */
@UriParams
public class MailAuthConfiguration implements Cloneable {

    @UriParam(description = "Refuse on the block's own finding: SPF fail (550 5.7.23) and temperror (451 4.7.24)"
            + " at spf, a DMARC reject (550 5.7.1) at dmarc; sets SmtpdReply and ends the route. Off: only"
            + " MailReply is proposed and the route decides")
    private boolean reject;
    @UriParam(label = "dmarc", defaultValue = "true", description = "Honour the domain owner's DMARC policy:"
            + " propose the refusal (p=reject) or set MailQuarantine (p=quarantine). Off: record only")
    private boolean enforce = true;

    public MailAuthConfiguration copy() {
        try {
            return (MailAuthConfiguration) clone();
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

    public boolean isEnforce() {
        return enforce;
    }

    public void setEnforce(boolean enforce) {
        this.enforce = enforce;
    }
}
