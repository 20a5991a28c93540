package dev.mailgateway.filter;

import dev.mailgateway.filter.engine.EngineAction;
import dev.mailgateway.filter.engine.SpamReport;
import dev.mailgateway.mail.HeaderEditor;
import dev.mailgateway.mail.HeaderText;
import dev.mailgateway.mail.MessageBytes;
import dev.mailgateway.mail.SubjectTag;
import dev.mailgateway.policy.MailPolicyConstants;
import dev.mailgateway.smtpd.SmtpdConstants;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import org.apache.james.mime4j.codec.EncoderUtil;

/**
 * {@code mail-filter:tag}: writes the verdict into the message as SpamAssassin's headers, on top:
 * <pre>
 * X-Spam-Flag: YES                      (only when it is spam)
 * X-Spam-Score: 7.5
 * X-Spam-Status: Yes, score=7.5 required=6 tests=LOTTERY_SUBJECT,RSPAMD,...
 * </pre>
 * {@code Yes} for a verdict of tag, quarantine or reject; {@code Unknown} when an engine could not give its opinion;
 * else {@code No}. Any X-Spam-Flag, X-Spam-Score and X-Spam-Status already there go first (a sender's own would
 * be believed downstream), as do the fields an engine asked to remove; fields an engine asked to add are added.
 * Spam gets {@code subjectTag} in front of its Subject (or Rspamd's rewritten subject). Only these lines change:
 * every other byte of the message stays as received.
 */
final class TagProducer extends DefaultProducer {

    private static final String[] OURS = {"X-Spam-Flag", "X-Spam-Score", "X-Spam-Status"};

    /** The tag score: X-Spam-Status's "required" (parsed once: it is asked for every message). */
    private double required;
    /** What spam's Subject starts with; null: nothing (checked once, at start). */
    private SubjectTag subjectTag;

    TagProducer(MailFilterEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        required = MailFilterConfiguration.threshold("tagScore", getEndpoint().getConfiguration().getTagScore());
        String tag = getEndpoint().getConfiguration().getSubjectTag();
        subjectTag = tag == null || tag.isBlank() ? null : new SubjectTag(tag);
    }

    @Override
    public MailFilterEndpoint getEndpoint() {
        return (MailFilterEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        Double total = message.getHeader(MailPolicyConstants.SCORE, Double.class);
        double score = total == null ? 0 : total;
        Verdict verdict = Verdict.of(message.getHeader(MailFilterConstants.VERDICT, String.class));
        if (verdict == null) { // no verdict step before: the score decides
            verdict = !Double.isNaN(required) && score >= required ? Verdict.TAG : Verdict.PASS;
        }
        boolean spam = verdict == Verdict.TAG || verdict == Verdict.QUARANTINE || verdict == Verdict.REJECT;
        boolean unknown = Boolean.TRUE.equals(message.getHeader(MailFilterConstants.SPAM_UNKNOWN, Boolean.class))
                || Boolean.TRUE.equals(message.getHeader(MailFilterConstants.SPAM_TEMPFAIL, Boolean.class));
        String status = spam ? "Yes" : unknown ? "Unknown" : "No";

        byte[] header = MessageBytes.headerSection(message);
        HeaderEditor editor = new HeaderEditor(header).remove(OURS);
        List<?> reports = message.getHeader(MailFilterConstants.SPAM_REPORTS, List.class);
        if (reports != null) {
            for (Object each : reports) {
                SpamReport report = (SpamReport) each;
                report.removeHeaders().forEach(editor::remove);
            }
        }
        if (spam) {
            editor.add("X-Spam-Flag", "YES");
        }
        editor.add("X-Spam-Score", Reasons.score(score));
        List<String> tests = Reasons.names(message);
        editor.add("X-Spam-Status", status + ", score=" + Reasons.score(score)
                + (Double.isNaN(required) ? "" : " required=" + Reasons.score(required))
                + " tests=" + (tests.isEmpty() ? "none" : String.join(",", tests)));
        if (reports != null) {
            for (Object each : reports) {
                for (SpamReport.Field field : ((SpamReport) each).addHeaders()) {
                    if (HeaderText.isFieldName(field.name())) {
                        editor.add(field.name(), oneLine(field.value()));
                    }
                }
            }
        }
        if (spam) {
            tagSubject(editor, message);
        }
        MessageBytes.replaceHeader(exchange, editor.toBytes(), header.length);
    }

    /** Rspamd's rewritten subject when it asked for one; else the configured tag in front of the subject. */
    private void tagSubject(HeaderEditor editor, Message message) {
        String rewritten = null;
        List<?> reports = message.getHeader(MailFilterConstants.SPAM_REPORTS, List.class);
        if (reports != null && EngineProducer.actionOf(message) == EngineAction.REWRITE_SUBJECT) {
            for (Object each : reports) {
                SpamReport report = (SpamReport) each;
                if (report.subject() != null && !report.subject().isBlank()) {
                    rewritten = report.subject();
                }
            }
        }
        if (rewritten != null) {
            String encoded = " " + EncoderUtil.encodeIfNecessary(oneLine(rewritten), EncoderUtil.Usage.TEXT_TOKEN, 9);
            if (!editor.rewriteFirst("Subject", raw -> encoded)) {
                editor.add("Subject", encoded.strip());
            }
            return;
        }
        if (subjectTag != null) {
            subjectTag.applyTo(editor, Boolean.TRUE.equals(message.getHeader(SmtpdConstants.SMTPUTF8, Boolean.class)));
        }
    }

    /** Text from an engine or the configuration, made safe for one field value: no line breaks, no controls. */
    private static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 32 || c == 127 ? ' ' : c);
        }
        return out.toString().strip();
    }
}
