package dev.mailgateway.edit;

import dev.mailgateway.mail.SubjectTag;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code mail-edit:subject-tag?tag=[EXTERNAL]}: puts the tag before the Subject (see {@link SubjectTag}: once,
 * encoded words kept, a non-ASCII tag encoded unless the message is SMTPUTF8); adds {@code Subject: <tag>} when
 * there is none. Only the Subject line changes.
 */
final class SubjectTagProducer extends DefaultProducer {

    private SubjectTag tag;

    SubjectTagProducer(MailEditEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MailEditEndpoint getEndpoint() {
        return (MailEditEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        try {
            tag = new SubjectTag(getEndpoint().getConfiguration().getTag());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mail-edit:subject-tag tag=: " + e.getMessage()); // says it all
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        EditableHeader.edit(exchange, MailEditEndpoint.Block.SUBJECT_TAG, tag::applyTo);
    }
}
