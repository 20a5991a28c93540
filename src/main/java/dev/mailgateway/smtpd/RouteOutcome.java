package dev.mailgateway.smtpd;

import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.smtpd.internal.Replies;
import org.apache.camel.Exchange;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the route did into the client's reply. 250 is a promise that the message is safe, so it is given
 * only when the route completed without an error and its last durable step marked the message
 * {@link SmtpdConstants#TAKEN}; a refusal the route asked for is checked and passed on; anything else is a
 * temporary failure (451 4.3.0): the client keeps the message and tries again.
 */
final class RouteOutcome {

    private static final Logger LOG = LoggerFactory.getLogger("dev.mailgateway.smtpd");
    static final SmtpReply NOT_QUEUED = Replies.NOT_QUEUED;

    private RouteOutcome() {
    }

    static SmtpReply replyFor(Exchange exchange, String queueId) {
        Exception failure = exchange.getException();
        if (failure != null) {
            SmtpRejectException reject = ObjectHelper.getException(SmtpRejectException.class, failure);
            if (reject != null) {
                return refusal(reject, queueId);
            }
            LOG.warn("{}: not queued: the route failed: {}", queueId, failure.toString());
            return NOT_QUEUED;
        }
        String replyHeader = exchange.getMessage().getHeader(SmtpdConstants.REPLY, String.class);
        if (replyHeader != null) {
            try {
                return SmtpReply.parseRefusal(replyHeader);
            } catch (IllegalArgumentException e) {
                LOG.error("{}: not queued: the route set {} to an invalid reply: {}", queueId, SmtpdConstants.REPLY,
                        replyHeader);
                return NOT_QUEUED;
            }
        }
        if (exchange.isRollbackOnly() || exchange.isRollbackOnlyLast()) {
            LOG.warn("{}: not queued: the route rolled back", queueId);
            return NOT_QUEUED;
        }
        if (Boolean.TRUE.equals(exchange.getMessage().getHeader(SmtpdConstants.TAKEN, Boolean.class))) {
            return SmtpReply.of(250, "2.0.0", "Ok: queued as " + queueId);
        }
        Exception handled = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        SmtpRejectException reject = ObjectHelper.getException(SmtpRejectException.class, handled);
        if (reject != null) {
            return refusal(reject, queueId);
        }
        LOG.warn("{}: not queued: the route ended without marking the message {}{}", queueId, SmtpdConstants.TAKEN,
                handled == null ? "" : " (it handled: " + handled + ")");
        return NOT_QUEUED;
    }

    private static SmtpReply refusal(SmtpRejectException reject, String queueId) {
        try {
            return reject.toReply();
        } catch (IllegalArgumentException e) {
            LOG.error("{}: not queued: the route refused with an invalid reply: {}", queueId, reject.getMessage());
            return NOT_QUEUED;
        }
    }
}
