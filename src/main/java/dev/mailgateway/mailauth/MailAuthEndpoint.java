package dev.mailgateway.mailauth;

import java.util.Locale;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** One sender-authentication block as a route step: {@code - to: "mail-auth:dmarc"}. Producer only. */
@UriEndpoint(firstVersion = "0.2.0", scheme = "mail-auth", title = "Mail sender authentication",
        syntax = "mail-auth:block", producerOnly = true, category = {Category.MAIL},
        headersClass = MailAuthConstants.class)
public class MailAuthEndpoint extends DefaultEndpoint {

    /** The blocks, by the name they have in a URI. */
    public enum Block {
        SPF, DKIM, DMARC, RESULTS;

        static Block named(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mail-auth has no block " + name + ": spf, dkim, dmarc, results");
            }
        }

        public String uriName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @UriPath(enums = "spf,dkim,dmarc,results", description = "The block")
    @Metadata(required = true)
    private final Block block;
    @UriParam
    private final MailAuthConfiguration configuration;

    MailAuthEndpoint(String uri, MailAuthComponent component, Block block, MailAuthConfiguration configuration) {
        super(uri, component);
        this.block = block;
        this.configuration = configuration;
    }

    @Override
    public MailAuthComponent getComponent() {
        return (MailAuthComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new MailAuthProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("mail-auth blocks are steps: use them in to(), not from()");
    }

    public Block getBlock() {
        return block;
    }

    public MailAuthConfiguration getConfiguration() {
        return configuration;
    }
}
