package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.Printable;
import dev.mailgateway.mail.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The line every message leaves, Postfix style, starting with its queue id ({@code grep <queue-id>}); what the
 * client wrote is escaped, so no address or HELO name can forge a line of its own.
 */
final class SessionLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.mailgateway.smtpd");

    private SessionLog() {
    }

    static void outcome(ReceivedMessage received, SmtpReply reply, String client) {
        if (reply.isPositive()) {
            LOG.info("{}: from=<{}> to=<{}> size={} client={} helo=<{}>{}: {}", received.queueId(),
                    Printable.escape(received.envelope().sender().toString()), recipients(received),
                    received.content().size(), client, Printable.escape(received.helo()),
                    received.authUser() == null ? "" : " sasl_username=" + Printable.escape(received.authUser()),
                    Printable.escape(reply.toString()));
        } else {
            LOG.info("{}: reject: DATA from {}: {}; from=<{}>", received.queueId(), client,
                    Printable.escape(reply.toString()), Printable.escape(received.envelope().sender().toString()));
        }
    }

    /** {@code a@b>,<c@d}: the log line wraps it in the outer brackets, as Postfix writes to=<...>. */
    private static String recipients(ReceivedMessage received) {
        StringBuilder sb = new StringBuilder();
        for (MailAddress recipient : received.envelope().recipients()) {
            sb.append(sb.length() == 0 ? "" : ">,<").append(Printable.escape(recipient.toString()));
        }
        return sb.toString();
    }
}
