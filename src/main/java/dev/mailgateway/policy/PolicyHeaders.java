package dev.mailgateway.policy;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.smtpd.SmtpdConstants;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The session as a policy block sees it, read from the headers the listener sets: in a policy route (with
 * {@code SmtpdStage}), or in the inbound route after DATA (no stage: the whole envelope is known).
 */
public final class PolicyHeaders {

    private PolicyHeaders() {
    }

    /** The exchange property that keeps the query once read: every block of a route asks for it. */
    private static final String READ = "MailPolicyQuery";

    /**
     * The session as the listener gave it, read once per exchange (a policy route asks six blocks at each command;
     * parsing the envelope six times was a measurable share of their cost).
     */
    public static PolicyQuery query(Exchange exchange) {
        PolicyQuery query = exchange.getProperty(READ, PolicyQuery.class);
        if (query == null) {
            query = query(exchange.getMessage());
            exchange.setProperty(READ, query);
        }
        return query;
    }

    static PolicyQuery query(Message message) {
        String stage = message.getHeader(SmtpdConstants.STAGE, String.class);
        String address = message.getHeader(SmtpdConstants.CLIENT_ADDRESS, String.class);
        InetAddress client = address == null ? null : NetUtil.createInetAddressFromIpAddressString(address);
        if (client == null) {
            throw new IllegalArgumentException("mail-policy needs the listener's headers: no valid "
                    + SmtpdConstants.CLIENT_ADDRESS + " (" + address + ")");
        }
        Integer port = message.getHeader(SmtpdConstants.CLIENT_PORT, Integer.class);
        List<MailAddress> recipients = new ArrayList<>();
        List<?> given = message.getHeader(SmtpdConstants.RECIPIENTS, List.class);
        if (given != null) {
            for (Object recipient : given) {
                recipients.add(address(recipient.toString()));
            }
        }
        return new PolicyQuery(stage == null ? null : Stage.valueOf(stage),
                message.getHeader(SmtpdConstants.LISTENER, String.class),
                new InetSocketAddress(client, port == null ? 0 : port),
                message.getHeader(SmtpdConstants.HELO, String.class),
                address(message.getHeader(SmtpdConstants.SENDER, String.class)), recipients,
                address(message.getHeader(SmtpdConstants.RECIPIENT, String.class)),
                message.getHeader(SmtpdConstants.AUTH_USER, String.class),
                Boolean.TRUE.equals(message.getHeader(SmtpdConstants.TRUSTED_CLIENT, Boolean.class)));
    }

    /** The listener parsed these already; the empty string is the null sender. */
    private static MailAddress address(String text) {
        if (text == null) {
            return null;
        }
        return text.isEmpty() ? MailAddress.nullSender() : MailAddress.parse(text, true);
    }
}
