package dev.mailgateway.mail;

/**
 * This gateway's postmaster, {@code postmaster@<hostname>} (the local part in any case; RFC 5321 §4.5.1: every
 * server takes mail for it, from anyone). One definition for relay control, the spool and the relay.
 */
public final class Postmaster {

    private final String domain;

    /** @param hostname this gateway's host name; blank: this machine's */
    public Postmaster(String hostname) {
        this.domain = DomainNames.key(LocalHost.name(hostname));
    }

    public boolean is(MailAddress address) {
        return !address.isNullSender() && address.localPart().equalsIgnoreCase("postmaster")
                && address.domainKey().equals(domain);
    }
}
