package dev.mailgateway.smtpd.internal;

import io.netty.buffer.ByteBuf;

/** After DATA: message content up to CRLF.CRLF, through the {@link ContentFilter}. */
final class DataReader implements InputReader {

    private final ContentFilter filter;

    DataReader(ContentFilter filter) {
        this.filter = filter;
    }

    @Override
    public boolean readsContent() {
        return true;
    }

    @Override
    public boolean read(ByteBuf in, SmtpSession session) {
        if (filter.consume(in)) {
            session.contentEnded();
            return true;
        }
        session.contentReceived();
        return false;
    }
}
