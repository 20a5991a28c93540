package dev.mailgateway.edit;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Placeholder in the skeleton branch only: replaced by the block's implementation before it reaches main. */
final class HeaderProducer extends DefaultProducer {

    HeaderProducer(MailEditEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public void process(Exchange exchange) {
        throw new UnsupportedOperationException("not built yet");
    }
}
