package dev.mailgateway.filter;

import dev.mailgateway.filter.content.AttachmentPolicy;
import dev.mailgateway.filter.content.BlockedAttachment;
import dev.mailgateway.filter.content.ContentRules;
import dev.mailgateway.filter.content.ContentScan;
import dev.mailgateway.filter.content.RuleMatch;
import dev.mailgateway.mail.Printable;
import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.mailauth.MailAuthConstants;
import dev.mailgateway.policy.Findings;
import dev.mailgateway.policy.block.BlockResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code mail-filter:rules} and {@code mail-filter:attachments}: our own checks of the message's content, on one
 * streaming MIME scan the two share. Rules add their scores (and each MIME defect or limit hit its
 * {@code defectScore}); a blocked attachment proposes {@code 554 5.7.1 Message rejected: attachment type not
 * allowed (name)}, refused here with {@code reject=true} or quarantined with {@code quarantine=true}. These
 * checks apply to every sender, our own users included: malware from a broken-into account is still malware.
 */
final class ContentProducer extends DefaultProducer {

    private AttachmentPolicy attachments;

    ContentProducer(MailFilterEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MailFilterEndpoint getEndpoint() {
        return (MailFilterEndpoint) super.getEndpoint();
    }

    private MailFilterConfiguration config() {
        return getEndpoint().getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (getEndpoint().getBlock() == MailFilterEndpoint.Block.ATTACHMENTS) {
            attachments = new AttachmentPolicy(list(config().getBlockedExtensions(), AttachmentPolicy.DEFAULT_EXTENSIONS),
                    list(config().getBlockedTypes(), AttachmentPolicy.DEFAULT_TYPES));
        } else {
            // a rules file that does not parse stops the start, with its line, not the first message
            getEndpoint().getComponent().rules(config().getRulesFile());
        }
    }

    private static List<String> list(String configured, java.util.Collection<String> defaults) {
        if (configured == null || configured.isBlank()) {
            return List.copyOf(defaults);
        }
        return Arrays.stream(configured.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        ContentScan scan = ContentScans.of(exchange, getEndpoint().getComponent().scanner());
        if (getEndpoint().getBlock() == MailFilterEndpoint.Block.ATTACHMENTS) {
            attachments(exchange, scan);
        } else {
            rules(exchange, scan);
        }
    }

    private void rules(Exchange exchange, ContentScan scan) {
        ContentRules rules = getEndpoint().getComponent().rules(config().getRulesFile());
        double score = 0;
        List<String> reasons = new ArrayList<>();
        for (RuleMatch match : rules.match(scan)) {
            score += match.score();
            reasons.add(Reasons.of(match.name(), match.score()));
        }
        for (String defect : scan.limitsHit()) {
            score += config().getDefectScore();
            reasons.add(Reasons.of(defect, config().getDefectScore()));
        }
        Findings.record(exchange, new BlockResult(score, reasons, null), false);
    }

    private void attachments(Exchange exchange, ContentScan scan) {
        List<BlockedAttachment> blocked = attachments.check(scan);
        if (blocked.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (BlockedAttachment attachment : blocked) {
            names.add(attachment.name());
            reasons.add(attachment.reason() + " [" + Printable.replyText(attachment.name(), 100) + "]");
        }
        exchange.getMessage().setHeader(MailFilterConstants.ATTACHMENTS_BLOCKED, names);
        SmtpReply reply = SmtpReply.of(554, "5.7.1", "Message rejected: attachment type not allowed ("
                + Printable.replyText(blocked.get(0).name(), 100) + ")");
        if (config().isQuarantine() && !config().isReject()) {
            exchange.getMessage().setHeader(MailAuthConstants.QUARANTINE, true);
        }
        Findings.record(exchange, new BlockResult(0, reasons, reply), config().isReject());
    }
}
