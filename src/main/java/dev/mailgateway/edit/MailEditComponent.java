package dev.mailgateway.edit;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code mail-edit} component: changes to the message and its envelope as route steps
 * ({@code mail-edit:header}, {@code subject-tag}, {@code strip-received}, {@code address-map}, {@code dkim-sign}).
 * Each changes only what it names: header lines are edited as bytes, every other byte of the message stays as
 * received.
 */
@org.apache.camel.spi.annotations.Component("mail-edit")
public class MailEditComponent extends DefaultComponent {

    @Metadata(description = "Default options of every block")
    private MailEditConfiguration configuration = new MailEditConfiguration();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MailEditConfiguration config = configuration.copy();
        setProperties(config, parameters);
        MailEditEndpoint endpoint = new MailEditEndpoint(uri, this, MailEditEndpoint.Block.named(remaining), config);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public MailEditConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(MailEditConfiguration configuration) {
        this.configuration = configuration;
    }
}
