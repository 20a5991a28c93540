package dev.mailgateway.edit;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code mail-edit:header?remove=X-Internal-*&set=X-Gateway: gw1&add=X-Note: text}: removes, sets and adds header
 * fields (see {@link HeaderEdits}); only those lines change, every other byte of the message stays as received.
 * The options are checked when the route starts: a bad one stops it with the reason.
 */
final class HeaderProducer extends DefaultProducer {

    private HeaderEdits edits;

    HeaderProducer(MailEditEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MailEditEndpoint getEndpoint() {
        return (MailEditEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        MailEditConfiguration config = getEndpoint().getConfiguration();
        edits = HeaderEdits.parse(config.getRemove(), config.getSet(), config.getAdd());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        EditableHeader.edit(exchange, MailEditEndpoint.Block.HEADER, edits::applyTo);
    }
}
