package dev.mailgateway.smtpd.internal;

/** Whether a listener offers SMTP AUTH (RFC 4954), and whether it requires it before MAIL. */
public enum AuthMode {
    NONE,
    OPTIONAL,
    REQUIRED
}
