package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.SmtpReply;
import java.util.function.Consumer;

/** Where the listener hands a received message: the Camel consumer feeding the route. */
public interface MessageDelivery {

    /**
     * Takes the message and, once it has an outcome, calls {@code done} exactly once, from any thread, with the
     * reply for the client: 250 only when the message is safely taken. Called on a network event loop: it must
     * not block.
     */
    void deliver(ReceivedMessage message, Consumer<SmtpReply> done);
}
