package dev.mailgateway.fanout;

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

/** One block as a route step: {@code - to: "mail-event:accepted"}. Producer only. */
@UriEndpoint(firstVersion = "0.3.0", scheme = "mail-event", title = "Mail events, copies and archive",
        syntax = "mail-event:block", producerOnly = true, category = {Category.MAIL},
        headersClass = MailEventConstants.class)
public class MailEventEndpoint extends DefaultEndpoint {

    /** The blocks, by the name they have in a URI. */
    public enum Block {
        /** Publishes the accepted event (after the spool send). */
        ACCEPTED,
        /** Publishes one event per recipient of a delivery attempt (after the relay and its report). */
        DELIVERY,
        /** Marks the message for a copy on a queue (before the spool send). */
        COPY,
        /** Marks the message for the archive, with its accepted event (before the spool send). */
        ARCHIVE;

        static Block named(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mail-event has no block " + name
                        + ": accepted, delivery, copy, archive");
            }
        }
    }

    @UriPath(enums = "accepted,delivery,copy,archive", description = "The block")
    @Metadata(required = true)
    private final Block block;
    @UriParam
    private final MailEventConfiguration configuration;

    MailEventEndpoint(String uri, MailEventComponent component, Block block, MailEventConfiguration configuration) {
        super(uri, component);
        this.block = block;
        this.configuration = configuration;
    }

    @Override
    public MailEventComponent getComponent() {
        return (MailEventComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return switch (block) {
            case ACCEPTED -> new AcceptedProducer(this);
            case DELIVERY -> new DeliveryProducer(this);
            case COPY -> new CopyProducer(this);
            case ARCHIVE -> new ArchiveMarkProducer(this);
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("mail-event blocks are steps: use them in to(), not from()");
    }

    public Block getBlock() {
        return block;
    }

    public MailEventConfiguration getConfiguration() {
        return configuration;
    }
}
