package dev.mailgateway.relay;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.service.ServiceHelper;

/**
 * The {@code smtp-relay} component: a producer that delivers a spooled message to its next hops over SMTP with
 * the exact envelope and bytes (camel-mail's smtp: producer re-encodes the message and takes recipients from its
 * headers, so it cannot relay); and, for policy checks at RCPT time, a {@link #recipientProbe() recipient probe}
 * that asks those next hops whether they take a recipient.
 */
@org.apache.camel.spi.annotations.Component("smtp-relay")
public class SmtpRelayComponent extends DefaultComponent {

    @Metadata(description = "Default options for every smtp-relay endpoint, and the recipient probe's options")
    private SmtpRelayConfiguration configuration = new SmtpRelayConfiguration();

    private RecipientProbe recipientProbe;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SmtpRelayConfiguration config = configuration.copy();
        setProperties(config, parameters);
        SmtpRelayEndpoint endpoint = new SmtpRelayEndpoint(uri, this, remaining, config);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /**
     * Recipient verification with the relay's own next hops, TLS policy and smarthost: this component's
     * configuration, which is why the relay's options are set on the component rather than on an endpoint. Made
     * and started on first use, one per component, stopped with it. Policy checks reach it with
     * {@code camelContext.getComponent("smtp-relay", SmtpRelayComponent.class).recipientProbe()}.
     *
     * @throws IllegalStateException when the component is stopping or stopped
     * @throws org.apache.camel.RuntimeCamelException when the configuration cannot be used (a CA file that cannot
     *         be read, a smarthost password without required TLS), as the relay route would fail to start
     */
    public synchronized RecipientProbe recipientProbe() {
        if (isStoppingOrStopped()) {
            throw new IllegalStateException("smtp-relay is stopped: no recipient verification");
        }
        if (recipientProbe == null) {
            RecipientProbe probe = new RecipientProbe(configuration.copy(), getCamelContext());
            probe.start();
            recipientProbe = probe;
        }
        return recipientProbe;
    }

    @Override
    protected void doStop() throws Exception {
        RecipientProbe probe;
        synchronized (this) {
            probe = recipientProbe;
            recipientProbe = null;
        }
        ServiceHelper.stopService(probe);
        super.doStop();
    }

    public SmtpRelayConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SmtpRelayConfiguration configuration) {
        this.configuration = configuration;
    }
}
