package dev.mailgateway.policy;

import dev.mailgateway.policy.block.BlockResult;
import dev.mailgateway.smtpd.SmtpdConstants;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes a block's finding into the exchange the same way for every block (policy, authentication, filters):
 * adds to {@code MailScore}, appends to {@code MailReasons}, proposes {@code MailReply} (the first proposal stays);
 * when the block was told to refuse ({@code reject=true}), a refusal also becomes {@code SmtpdReply} and ends
 * the route.
 */
public final class Findings {

    private Findings() {
    }

    public static void record(Exchange exchange, BlockResult result, boolean reject) {
        Message message = exchange.getMessage();
        Double score = message.getHeader(MailPolicyConstants.SCORE, Double.class);
        message.setHeader(MailPolicyConstants.SCORE, (score == null ? 0 : score) + result.score());
        if (!result.reasons().isEmpty()) {
            List<String> reasons = new ArrayList<>();
            List<?> before = message.getHeader(MailPolicyConstants.REASONS, List.class);
            if (before != null) {
                before.forEach(r -> reasons.add(String.valueOf(r)));
            }
            reasons.addAll(result.reasons());
            message.setHeader(MailPolicyConstants.REASONS, reasons);
        }
        if (result.refuses()) {
            String reply = result.refusal().toString();
            if (message.getHeader(MailPolicyConstants.REPLY) == null) {
                message.setHeader(MailPolicyConstants.REPLY, reply);
            }
            if (reject) {
                if (message.getHeader(SmtpdConstants.REPLY) == null) {
                    message.setHeader(SmtpdConstants.REPLY, reply);
                }
                exchange.setRouteStop(true);
            }
        }
    }
}
