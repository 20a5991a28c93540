package dev.mailgateway.edit;

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

/** One editing block as a route step: {@code - to: "mail-edit:header?remove=X-Internal-*"}. Producer only. */
@UriEndpoint(firstVersion = "0.4.0", scheme = "mail-edit", title = "Mail editing",
        syntax = "mail-edit:block", producerOnly = true, category = {Category.MAIL},
        headersClass = MailEditConstants.class)
public class MailEditEndpoint extends DefaultEndpoint {

    /** The blocks, by the name they have in a URI ({@code subject-tag} for SUBJECT_TAG). */
    public enum Block {
        HEADER, SUBJECT_TAG, STRIP_RECEIVED, ADDRESS_MAP, DKIM_SIGN;

        static Block named(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mail-edit has no block " + name
                        + ": header, subject-tag, strip-received, address-map, dkim-sign");
            }
        }

        public String uriName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    @UriPath(enums = "header,subject-tag,strip-received,address-map,dkim-sign", description = "The block")
    @Metadata(required = true)
    private final Block block;
    @UriParam
    private final MailEditConfiguration configuration;

    MailEditEndpoint(String uri, MailEditComponent component, Block block, MailEditConfiguration configuration) {
        super(uri, component);
        this.block = block;
        this.configuration = configuration;
    }

    @Override
    public MailEditComponent getComponent() {
        return (MailEditComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return switch (block) {
            case HEADER -> new HeaderProducer(this);
            case SUBJECT_TAG -> new SubjectTagProducer(this);
            case STRIP_RECEIVED -> new StripReceivedProducer(this);
            case ADDRESS_MAP -> new AddressMapProducer(this);
            case DKIM_SIGN -> new DkimSignProducer(this);
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("mail-edit blocks are steps: use them in to(), not from()");
    }

    public Block getBlock() {
        return block;
    }

    public MailEditConfiguration getConfiguration() {
        return configuration;
    }
}
