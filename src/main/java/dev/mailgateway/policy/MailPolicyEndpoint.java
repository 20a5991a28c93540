package dev.mailgateway.policy;

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

/** One policy block as a route step: {@code - to: "mail-policy:dnsbl?reject=true"}. Producer only. */
@UriEndpoint(firstVersion = "0.2.0", scheme = "mail-policy", title = "Mail policy block",
        syntax = "mail-policy:block", producerOnly = true, category = {Category.MAIL},
        headersClass = MailPolicyConstants.class)
public class MailPolicyEndpoint extends DefaultEndpoint {

    /** The blocks, by the name they have in a URI. */
    public enum Block {
        DNSBL, RHSBL, GREYLIST, RATE_LIMIT, VERIFY_RECIPIENT;

        static Block named(String name) {
            for (Block block : values()) {
                if (block.uriName().equals(name)) {
                    return block;
                }
            }
            throw new IllegalArgumentException("mail-policy has no block " + name
                    + ": dnsbl, rhsbl, greylist, rate-limit, verify-recipient");
        }

        public String uriName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    @UriPath(enums = "dnsbl,rhsbl,greylist,rate-limit,verify-recipient", description = "The block")
    @Metadata(required = true)
    private final Block block;
    @UriParam
    private final MailPolicyConfiguration configuration;

    MailPolicyEndpoint(String uri, MailPolicyComponent component, Block block, MailPolicyConfiguration configuration) {
        super(uri, component);
        this.block = block;
        this.configuration = configuration;
    }

    @Override
    public MailPolicyComponent getComponent() {
        return (MailPolicyComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new MailPolicyProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("mail-policy blocks are steps: use them in to(), not from()");
    }

    public Block getBlock() {
        return block;
    }

    public MailPolicyConfiguration getConfiguration() {
        return configuration;
    }
}
