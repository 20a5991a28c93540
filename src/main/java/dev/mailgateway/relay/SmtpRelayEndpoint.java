package dev.mailgateway.relay;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** Relays messages to next hops. Producer only. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "smtp-relay", title = "SMTP relay", syntax = "smtp-relay:name",
        producerOnly = true, category = {Category.MAIL}, headersClass = SmtpRelayConstants.class)
public class SmtpRelayEndpoint extends DefaultEndpoint {

    @UriPath(description = "A name for the relay, in logs")
    private final String name;
    @UriParam
    private final SmtpRelayConfiguration configuration;

    public SmtpRelayEndpoint(String uri, SmtpRelayComponent component, String name, SmtpRelayConfiguration configuration) {
        super(uri, component);
        this.name = name;
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new SmtpRelayProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("smtp-relay sends: use it in to(), mail comes in through smtpd:");
    }

    public String getName() {
        return name;
    }

    public SmtpRelayConfiguration getConfiguration() {
        return configuration;
    }
}
