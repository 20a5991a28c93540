package dev.mailgateway.mail;

import java.util.List;

/**
 * The envelope of one message: who sent it and to whom it must go, as given in MAIL FROM and RCPT TO. Never
 * derived from the message headers (Bcc recipients are only here).
 *
 * @param sender     the reverse-path, possibly {@link MailAddress#nullSender()}
 * @param recipients the forward-paths, at least one, no duplicates
 * @param bodyType   the MAIL FROM BODY= value ({@code 7BIT}, {@code 8BITMIME}), null when the client gave none
 * @param smtpUtf8   whether the client gave SMTPUTF8 (RFC 6531): addresses and headers may be UTF-8, and the
 *                   message may only go on to servers that offer SMTPUTF8
 */
public record Envelope(MailAddress sender, List<MailAddress> recipients, String bodyType, boolean smtpUtf8) {

    public Envelope {
        recipients = List.copyOf(recipients);
    }
}
