package dev.mailgateway.relay;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code smtp-relay} component: a producer that delivers a spooled message to its next hops over SMTP with
 * the exact envelope and bytes (camel-mail's smtp: producer re-encodes the message and takes recipients from its
 * headers, so it cannot relay).
 */
@org.apache.camel.spi.annotations.Component("smtp-relay")
public class SmtpRelayComponent extends DefaultComponent {

    @Metadata(description = "Default options for every smtp-relay endpoint")
    private SmtpRelayConfiguration configuration = new SmtpRelayConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SmtpRelayConfiguration config = configuration.copy();
        setProperties(config, parameters);
        SmtpRelayEndpoint endpoint = new SmtpRelayEndpoint(uri, this, remaining, config);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public SmtpRelayConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(SmtpRelayConfiguration configuration) {
        this.configuration = configuration;
    }
}
