package dev.mailgateway.smtpd.internal;

import io.netty.buffer.ByteBuf;

/** Turns the client's bytes into session events: command lines, or message data. */
interface InputReader {

    /**
     * Consumes what it can from {@code in} and tells the session what it found.
     *
     * @return false when it needs more bytes before it can go on
     */
    boolean read(ByteBuf in, SmtpSession session);

    /** Whether it reads message data (DATA, BDAT), which must keep coming at the minimum data rate. */
    default boolean readsContent() {
        return false;
    }
}
