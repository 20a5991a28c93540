package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.QueueId;
import dev.mailgateway.mail.SmtpReply;
import java.net.InetSocketAddress;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A message being received, by DATA or by BDAT chunks: its queue id, where its bytes go, and the checks its
 * content must pass once it has ended. Our Received header is its first bytes.
 */
final class IncomingMessage {

    private final String queueId;
    private final MessageSink sink;
    private final ContentFilter filter;

    private IncomingMessage(String queueId, MessageSink sink, ContentFilter filter) {
        this.queueId = queueId;
        this.sink = sink;
        this.filter = filter;
    }

    /**
     * @param dotStuffed true for DATA, false for BDAT
     * @param trace      what the Received header says of the session
     */
    static IncomingMessage start(ListenerSettings settings, Transaction transaction, Trace trace, boolean dotStuffed) {
        String queueId = QueueId.next();
        MessageSink sink = new MessageSink(settings.spill());
        List<MailAddress> recipients = transaction.recipients();
        sink.write(ReceivedHeader.build(settings.hostname(), trace, queueId,
                recipients.size() == 1 ? recipients.get(0) : null, ZonedDateTime.now()));
        return new IncomingMessage(queueId, sink,
                new ContentFilter(sink, settings.maxMessageSize(), settings.bareLineEndings(), dotStuffed));
    }

    /** What the Received header and the route learn of the session. */
    record Trace(String helo, InetSocketAddress client, String protocol, TlsInfo tls, boolean smtpUtf8) {
    }

    String queueId() {
        return queueId;
    }

    ContentFilter filter() {
        return filter;
    }

    MessageSink sink() {
        return sink;
    }

    /** The refusal its content earned (too big, bare line endings), or null when it may go to the route. */
    SmtpReply contentRefusal() {
        if (filter.isTooBig()) {
            return Replies.TOO_BIG;
        }
        return filter.refusesBareLineEndings() ? Replies.BARE_LINE_ENDING : null;
    }

    CompletableFuture<MessageContent> finish() {
        return sink.finish();
    }

    void discard() {
        sink.discard();
    }
}
