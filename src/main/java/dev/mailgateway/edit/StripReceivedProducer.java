package dev.mailgateway.edit;

import dev.mailgateway.mail.HeaderEditor;
import dev.mailgateway.smtpd.SmtpdConstants;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code mail-edit:strip-received}: for mail our users submitted, takes out what the message tells of the network
 * it came from: the Received fields it had when it reached us (hops inside that network), X-Originating-IP, and
 * with {@code hideClient} (the default) the client's name and address in our own Received field. Our field stays
 * on top, with our host name, protocol, queue id, recipient and date. The route decides which mail this is for
 * (mail from the submission listeners, say); the block does it for any message it is given.
 *
 * <p>Our field is found by the queue id it names; a message whose first Received field is not ours is left as it
 * was (MailEditSkipped says why): without our field, the block cannot tell the hops before us from the rest.
 */
final class StripReceivedProducer extends DefaultProducer {

    private boolean hideClient;

    StripReceivedProducer(MailEditEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MailEditEndpoint getEndpoint() {
        return (MailEditEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        hideClient = getEndpoint().getConfiguration().isHideClient();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        EditableHeader header = EditableHeader.open(exchange, MailEditEndpoint.Block.STRIP_RECEIVED);
        if (header == null) {
            return;
        }
        HeaderEditor editor = header.editor();
        String queueId = exchange.getMessage().getHeader(SmtpdConstants.QUEUE_ID, String.class);
        String first = editor.firstValue("Received");
        if (queueId == null || first == null || !OwnReceived.isOurs(first, queueId)) {
            EditableHeader.skipped(exchange, MailEditEndpoint.Block.STRIP_RECEIVED, queueId == null
                    ? "no queue id: not a message from our listener"
                    : "the first Received field is not ours (queue id " + queueId + ")");
            return;
        }
        int[] received = {0};
        editor.removeIf((name, value) -> name.equals("received") && received[0]++ > 0
                || name.equals("x-originating-ip"));
        if (hideClient) {
            editor.rewriteFirst("Received", OwnReceived::withoutClient);
        }
        header.save(exchange);
    }
}
