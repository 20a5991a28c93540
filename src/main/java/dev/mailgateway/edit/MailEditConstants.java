package dev.mailgateway.edit;

import org.apache.camel.spi.Metadata;

/** The exchange headers the mail-edit blocks read or write. */
public final class MailEditConstants {

    /** What dkim-sign did: the d= and s= of each signature added, or why none was ("no key for example.org"). */
    @Metadata(description = "What dkim-sign did: 'd=example.org s=sel rsa-sha256', or why it did not sign",
            javaType = "String")
    public static final String DKIM_SIGNED = "MailDkimSigned";

    /**
     * What address-map changed, one change after another separated by {@code "; "}: {@code sender a@x -> b@y},
     * {@code recipient c@x -> d@y}, {@code From: a@x -> b@y}. Absent when nothing changed. A string, so it
     * travels with the message through the spool.
     */
    @Metadata(description = "What address-map changed: 'sender a@x -> b@y; recipient c@x -> d@y; From: a@x -> b@y'",
            javaType = "String")
    public static final String REWRITES = "MailRewrites";

    /**
     * Why a block left the message as it was, one line per block that did ("strip-received: no Received field of
     * ours (queue id ...)", "header: bare LF line endings in the header section"). Absent when every block did
     * its work.
     */
    @Metadata(description = "Why a block left the message as it was, one line per block that did, e.g."
            + " 'strip-received: no Received field of ours'", javaType = "List<String>")
    public static final String SKIPPED = "MailEditSkipped";

    private MailEditConstants() {
    }
}
