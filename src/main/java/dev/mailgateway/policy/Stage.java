package dev.mailgateway.policy;

/** The points of an SMTP session where policy is asked, before the message content is seen. */
public enum Stage {
    CONNECT, HELO, MAIL, RCPT
}
