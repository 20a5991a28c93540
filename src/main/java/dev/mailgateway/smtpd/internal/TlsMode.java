package dev.mailgateway.smtpd.internal;

/** How a listener uses TLS. */
public enum TlsMode {
    /** No TLS. */
    NONE,
    /** STARTTLS offered, not required (port 25: opportunistic, RFC 3207). */
    OPTIONAL,
    /** STARTTLS required before MAIL and AUTH (submission, port 587). */
    REQUIRED,
    /** TLS from the first byte (submissions, port 465, RFC 8314). */
    IMPLICIT
}
