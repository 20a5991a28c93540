package dev.mailgateway.smtpd.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/** A listener's TLS: how it is used and the server context that makes the handlers. */
public record ServerTls(TlsMode mode, SslContext context) {

    public static final ServerTls NONE = new ServerTls(TlsMode.NONE, null);

    SslHandler newHandler(ByteBufAllocator allocator) {
        return context.newHandler(allocator);
    }

    /** Whether STARTTLS is offered on a plain-text session. */
    boolean offersStartTls() {
        return mode == TlsMode.OPTIONAL || mode == TlsMode.REQUIRED;
    }
}
