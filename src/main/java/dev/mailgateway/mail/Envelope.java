package dev.mailgateway.mail;

import java.util.List;

/**
 * The envelope of one message: who sent it and to whom it must go, as given in MAIL FROM and RCPT TO. Never
 * derived from the message headers (Bcc recipients are only here).
 *
 * @param sender     the reverse-path, possibly {@link MailAddress#nullSender()}
 * @param recipients the forward-paths, at least one, no duplicates
 * @param bodyType   the MAIL FROM BODY= value ({@code 7BIT}, {@code 8BITMIME}), null when the client gave none
 */
public record Envelope(MailAddress sender, List<MailAddress> recipients, String bodyType) {

    public Envelope {
        recipients = List.copyOf(recipients);
    }
}
