package dev.mailgateway.relay;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.ReceivedHeaders;
import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.SpoolEnvelope;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * A message to relay, as it comes off the spool: exactly the envelope the client gave (never anything read from
 * the headers) and the bytes as received.
 *
 * @param retryNow an operator asked for this attempt: suspended next hops are tried too (as Postfix's
 *                 {@code postqueue -f} makes its queue manager forget dead destinations)
 */
public record RelayMessage(String queueId, MailAddress sender, List<MailAddress> recipients, String bodyType,
        boolean smtpUtf8, byte[] content, boolean retryNow) {

    public static RelayMessage from(Exchange exchange) throws InvalidPayloadException {
        Message message = exchange.getMessage();
        boolean utf8 = Boolean.TRUE.equals(message.getHeader(SmtpdConstants.SMTPUTF8, Boolean.class));
        String sender = message.getHeader(SmtpdConstants.SENDER, "", String.class);
        List<MailAddress> recipients = new ArrayList<>();
        for (String recipient : SpoolEnvelope.split(message.getHeader(SpoolEnvelope.RECIPIENTS, String.class))) {
            recipients.add(MailAddress.parse(recipient, true));
        }
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a message with no recipients to relay");
        }
        return new RelayMessage(message.getHeader(SmtpdConstants.QUEUE_ID, String.class),
                sender.isEmpty() ? MailAddress.nullSender() : MailAddress.parse(sender, true), recipients,
                message.getHeader(SmtpdConstants.BODY_TYPE, String.class), utf8,
                message.getMandatoryBody(byte[].class),
                Boolean.TRUE.equals(message.getHeader(SpoolEnvelope.RETRY_NOW, Boolean.class)));
    }

    /** How many Received: fields the header section has: the hops the message has made (RFC 5321 §6.3). */
    public int hops() {
        return ReceivedHeaders.count(content);
    }

    /**
     * Whether the next hop must offer SMTPUTF8 (RFC 6531): the client asked for it and the message needs it, by a
     * UTF-8 address or UTF-8 in its header section. We never downgrade such a message.
     */
    public boolean needsSmtpUtf8() {
        if (!smtpUtf8) {
            return false;
        }
        if (sender.isUtf8() || recipients.stream().anyMatch(MailAddress::isUtf8)) {
            return true;
        }
        for (int i = 0; i < content.length; i++) {
            if (content[i] < 0) {
                return true;
            }
            if (content[i] == '\n' && i + 2 < content.length && content[i + 1] == '\r' && content[i + 2] == '\n') {
                return false; // the end of the header section
            }
        }
        return false;
    }
}
