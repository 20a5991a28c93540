package dev.mailgateway.filter;

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

/** One content-filtering block as a route step: {@code - to: "mail-filter:rules"}. Producer only. */
@UriEndpoint(firstVersion = "0.3.0", scheme = "mail-filter", title = "Mail content filtering",
        syntax = "mail-filter:block", producerOnly = true, category = {Category.MAIL},
        headersClass = MailFilterConstants.class)
public class MailFilterEndpoint extends DefaultEndpoint {

    /** The blocks, by the name they have in a URI. */
    public enum Block {
        RSPAMD, SPAMASSASSIN, RULES, ATTACHMENTS, VERDICT, TAG;

        static Block named(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mail-filter has no block " + name
                        + ": rspamd, spamassassin, rules, attachments, verdict, tag");
            }
        }

        public String uriName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @UriPath(enums = "rspamd,spamassassin,rules,attachments,verdict,tag", description = "The block")
    @Metadata(required = true)
    private final Block block;
    @UriParam
    private final MailFilterConfiguration configuration;

    MailFilterEndpoint(String uri, MailFilterComponent component, Block block, MailFilterConfiguration configuration) {
        super(uri, component);
        this.block = block;
        this.configuration = configuration;
    }

    @Override
    public MailFilterComponent getComponent() {
        return (MailFilterComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return switch (block) {
            case RSPAMD, SPAMASSASSIN -> new EngineProducer(this);
            case RULES, ATTACHMENTS -> new ContentProducer(this);
            case VERDICT -> new VerdictProducer(this);
            case TAG -> new TagProducer(this);
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("mail-filter blocks are steps: use them in to(), not from()");
    }

    public Block getBlock() {
        return block;
    }

    public MailFilterConfiguration getConfiguration() {
        return configuration;
    }
}
