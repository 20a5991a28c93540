package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.Envelope;
import dev.mailgateway.mail.MailAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The mail transaction in progress: from MAIL FROM to the end of DATA, RSET or a new HELO/EHLO. */
final class Transaction {

    private final MailAddress sender;
    private final String bodyType;
    private final boolean smtpUtf8;
    private final List<MailAddress> recipients = new ArrayList<>();
    private boolean recipientTried;
    private IncomingMessage message;
    private boolean chunked;

    Transaction(MailAddress sender, String bodyType, boolean smtpUtf8) {
        this.sender = sender;
        this.bodyType = bodyType;
        this.smtpUtf8 = smtpUtf8;
    }

    boolean smtpUtf8() {
        return smtpUtf8;
    }

    /** The message being received, once DATA or the first BDAT started it; null before. */
    IncomingMessage message() {
        return message;
    }

    void receive(IncomingMessage message, boolean chunked) {
        this.message = message;
        this.chunked = chunked;
    }

    /** Whether the message comes in BDAT chunks (then DATA is out of order). */
    boolean isChunked() {
        return chunked;
    }

    MailAddress sender() {
        return sender;
    }

    List<MailAddress> recipients() {
        return Collections.unmodifiableList(recipients);
    }

    boolean hasRecipient(MailAddress recipient) {
        return recipients.contains(recipient);
    }

    void addRecipient(MailAddress recipient) {
        recipients.add(recipient);
    }

    void recipientTried() {
        recipientTried = true;
    }

    /** Whether any RCPT was tried: with none accepted, DATA says "no valid recipients" rather than "need RCPT". */
    boolean wasRecipientTried() {
        return recipientTried;
    }

    Envelope envelope() {
        return new Envelope(sender, recipients, bodyType, smtpUtf8);
    }
}
