package dev.mailgateway.smtpd;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** One SMTP listener. Consumer only: messages come in here; relaying out is another endpoint's job. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "smtpd", title = "SMTP listener", syntax = "smtpd:name",
        consumerOnly = true, category = {Category.MAIL}, headersClass = SmtpdConstants.class)
public class SmtpdEndpoint extends DefaultEndpoint {

    @UriPath(description = "Name of the listener (e.g. mx, submission); it appears in logs and headers")
    @Metadata(required = true)
    private final String name;
    @UriParam
    private final SmtpdConfiguration configuration;

    public SmtpdEndpoint(String uri, SmtpdComponent component, String name, SmtpdConfiguration configuration) {
        super(uri, component);
        this.name = name;
        this.configuration = configuration;
    }

    @Override
    public SmtpdComponent getComponent() {
        return (SmtpdComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("smtpd is a listener: use it in from(), not in to()");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SmtpdConsumer consumer = new SmtpdConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getName() {
        return name;
    }

    public SmtpdConfiguration getConfiguration() {
        return configuration;
    }
}
