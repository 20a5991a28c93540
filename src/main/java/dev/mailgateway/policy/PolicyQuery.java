package dev.mailgateway.policy;

import dev.mailgateway.mail.MailAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a check knows when it is asked: the stage, the client, and the envelope so far.
 *
 * @param listener   the name of the smtpd endpoint the client connected to
 * @param helo       the HELO/EHLO name, null before it
 * @param sender     the MAIL FROM address (possibly the null sender), null before MAIL
 * @param recipients the recipients accepted so far
 * @param recipient  at RCPT, the recipient being asked about; otherwise null
 * @param authUser   the authenticated user, null when the client did not authenticate
 * @param trusted    the client is in the listener's trusted networks
 */
public record PolicyQuery(Stage stage, String listener, InetSocketAddress client, String helo, MailAddress sender,
        List<MailAddress> recipients, MailAddress recipient, String authUser, boolean trusted) {
}
