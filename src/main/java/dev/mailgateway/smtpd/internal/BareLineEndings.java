package dev.mailgateway.smtpd.internal;

/**
 * What the listener does with a bare CR or LF (not part of CRLF) in message data. Whichever is chosen, only
 * CRLF.CRLF ends the data, so nothing can be smuggled past the end of a message (CVE-2023-51764).
 */
public enum BareLineEndings {
    /** Refuse the message with 550 5.5.2 once its data ends (the default). */
    REJECT,
    /** Take the message, turning each bare CR or LF into CRLF. */
    NORMALIZE
}
