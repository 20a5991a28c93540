package dev.mailgateway.filter;

import dev.mailgateway.filter.engine.EngineAction;
import dev.mailgateway.filter.engine.SpamReport;
import dev.mailgateway.mail.Printable;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.mailauth.MailAuthConstants;
import dev.mailgateway.policy.MailPolicyConstants;
import dev.mailgateway.policy.PolicyHeaders;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.smtpd.SmtpdConstants;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code mail-filter:verdict}: turns the score and the engines' proposals into one decision, {@code MailVerdict}:
 * <ol>
 * <li>an engine failed and {@code onEngineFailure=tempfail}: {@code tempfail} (451 4.7.1);
 * <li>score at or over {@code rejectScore}, or an engine said reject: {@code reject} (550 5.7.1);
 * <li>an engine said soft reject or greylist: {@code tempfail} (451 4.7.1);
 * <li>score at or over {@code quarantineScore}: {@code quarantine};
 * <li>score at or over {@code tagScore}, or an engine said add header / rewrite subject: {@code tag};
 * <li>else {@code pass}.
 * </ol>
 * Mail of authenticated users and trusted networks is never refused or quarantined for its content unless
 * {@code rejectOwnMail}: what would have been is tagged. For reject and tempfail {@code MailReply} becomes the reply
 * to give; the route acts on the verdict ({@code reject=true} makes the block refuse on its own).
 */
final class VerdictProducer extends DefaultProducer {

    private double rejectScore;
    private double quarantineScore;
    private double tagScore;

    VerdictProducer(MailFilterEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MailFilterEndpoint getEndpoint() {
        return (MailFilterEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        MailFilterConfiguration config = getEndpoint().getConfiguration();
        rejectScore = MailFilterConfiguration.threshold("rejectScore", config.getRejectScore());
        quarantineScore = MailFilterConfiguration.threshold("quarantineScore", config.getQuarantineScore());
        tagScore = MailFilterConfiguration.threshold("tagScore", config.getTagScore());
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Double total = message.getHeader(MailPolicyConstants.SCORE, Double.class);
        double score = total == null ? 0 : total;
        EngineAction action = EngineProducer.actionOf(message);
        PolicyQuery query = PolicyHeaders.query(exchange);
        boolean ownMail = (query.authUser() != null || query.trusted())
                && !getEndpoint().getConfiguration().isRejectOwnMail();

        Verdict verdict;
        SmtpReply reply = null;
        if (Boolean.TRUE.equals(message.getHeader(MailFilterConstants.SPAM_TEMPFAIL, Boolean.class))) {
            // not a judgement of the message: the client keeps it and retries, whoever it is
            verdict = Verdict.TEMPFAIL;
            reply = SmtpReply.of(451, "4.7.1", "Content scanner unavailable, try again later");
        } else if (atLeast(score, rejectScore) || action == EngineAction.REJECT) {
            verdict = Verdict.REJECT;
            reply = SmtpReply.of(550, "5.7.1", rejectText(message, action));
        } else if (action == EngineAction.TEMPFAIL) {
            verdict = Verdict.TEMPFAIL;
            String said = engineText(message);
            reply = SmtpReply.of(451, "4.7.1", said != null ? said : "Try again later");
        } else if (atLeast(score, quarantineScore)) {
            verdict = Verdict.QUARANTINE;
        } else if (atLeast(score, tagScore) || action == EngineAction.TAG || action == EngineAction.REWRITE_SUBJECT) {
            verdict = Verdict.TAG;
        } else {
            verdict = Verdict.PASS;
        }
        boolean engineDown = Boolean.TRUE.equals(message.getHeader(MailFilterConstants.SPAM_TEMPFAIL, Boolean.class));
        if (ownMail && verdict.compareTo(Verdict.TAG) > 0 && !engineDown) {
            verdict = Verdict.TAG; // our users' spam is marked, never refused for its content (Haraka's choice)
            reply = null;
        }
        message.setHeader(MailFilterConstants.VERDICT, verdict.headerValue());
        if (reply != null) {
            message.setHeader(MailPolicyConstants.REPLY, reply.toString());
        }
        if (getEndpoint().getConfiguration().isReject()) {
            if (reply != null) {
                message.setHeader(SmtpdConstants.REPLY, reply.toString());
                exchange.setRouteStop(true);
            } else if (verdict == Verdict.QUARANTINE) {
                message.setHeader(MailAuthConstants.QUARANTINE, true);
            }
        }
    }

    private static boolean atLeast(double score, double threshold) {
        return !Double.isNaN(threshold) && score >= threshold;
    }

    /** Rspamd's own words when it said reject; else the rules that weighed most, so a sender can tell an admin why. */
    private static String rejectText(Message message, EngineAction action) {
        String said = action == EngineAction.REJECT ? engineText(message) : null;
        if (said != null) {
            return "Message rejected as spam: " + said;
        }
        List<String> strongest = Reasons.strongest(message, 2);
        return strongest.isEmpty() ? "Message rejected as spam"
                : "Message rejected as spam (" + String.join(", ", strongest) + ")";
    }

    private static String engineText(Message message) {
        List<?> reports = message.getHeader(MailFilterConstants.SPAM_REPORTS, List.class);
        if (reports != null) {
            for (Object report : reports) {
                String text = ((SpamReport) report).smtpMessage();
                if (text != null && !text.isBlank()) {
                    return Printable.replyText(text.strip(), 200);
                }
            }
        }
        return null;
    }
}
