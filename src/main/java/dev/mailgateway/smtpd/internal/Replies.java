package dev.mailgateway.smtpd.internal;

import dev.mailgateway.mail.SmtpReply;

/**
 * The fixed replies of the listener, in one place. Texts follow Postfix where it has one, so operators and
 * their clients see what they know; every 2xx/4xx/5xx carries an RFC 3463 code (RFC 2034 leaves it out of the
 * greeting, the EHLO/HELO answer and 354 only).
 */
public final class Replies {

    private Replies() {
    }

    public static final SmtpReply OK = SmtpReply.of(250, "2.0.0", "Ok");
    public static final SmtpReply SENDER_OK = SmtpReply.of(250, "2.1.0", "Ok");
    public static final SmtpReply RECIPIENT_OK = SmtpReply.of(250, "2.1.5", "Ok");
    public static final SmtpReply START_DATA = SmtpReply.withoutStatus(354, "End data with <CR><LF>.<CR><LF>");
    public static final SmtpReply BYE = SmtpReply.of(221, "2.0.0", "Bye");
    public static final SmtpReply VRFY = SmtpReply.of(252, "2.0.0",
            "Cannot VRFY user, but will accept message and attempt delivery");

    public static final SmtpReply UNKNOWN_COMMAND = SmtpReply.of(500, "5.5.2", "Error: command not recognized");
    public static final SmtpReply LINE_TOO_LONG = SmtpReply.of(500, "5.5.2", "Error: line too long");
    public static final SmtpReply NOT_IMPLEMENTED = SmtpReply.of(502, "5.5.1", "Error: command not implemented");
    public static final SmtpReply EHLO_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: EHLO hostname");
    public static final SmtpReply HELO_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: HELO hostname");
    public static final SmtpReply MAIL_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: MAIL FROM:<address>");
    public static final SmtpReply RCPT_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: RCPT TO:<address>");
    public static final SmtpReply NO_ARGUMENTS = SmtpReply.of(501, "5.5.4", "Syntax error: no arguments allowed");
    public static final SmtpReply BAD_SENDER = SmtpReply.of(501, "5.1.7", "Bad sender address syntax");
    public static final SmtpReply BAD_RECIPIENT = SmtpReply.of(501, "5.1.3", "Bad recipient address syntax");
    public static final SmtpReply BAD_SIZE = SmtpReply.of(501, "5.5.4", "Bad SIZE parameter value");
    public static final SmtpReply BAD_BODY = SmtpReply.of(501, "5.5.4", "Bad BODY parameter value");
    public static final SmtpReply PARAMETER_SYNTAX = SmtpReply.of(501, "5.5.4", "Bad parameter syntax");
    public static final SmtpReply VRFY_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: VRFY address");
    public static final SmtpReply HELP = SmtpReply.of(214, "2.0.0",
            "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP");
    public static final SmtpReply FORBIDDEN = SmtpReply.of(221, "2.7.0", "Error: this is an SMTP server, goodbye");

    public static final SmtpReply HELO_FIRST = SmtpReply.of(503, "5.5.1", "Error: send HELO/EHLO first");
    public static final SmtpReply NESTED_MAIL = SmtpReply.of(503, "5.5.1", "Error: nested MAIL command");
    public static final SmtpReply NEED_MAIL = SmtpReply.of(503, "5.5.1", "Error: need MAIL command");
    public static final SmtpReply NEED_RCPT = SmtpReply.of(503, "5.5.1", "Error: need RCPT command");
    public static final SmtpReply NO_VALID_RECIPIENTS = SmtpReply.of(554, "5.5.1", "Error: no valid recipients");
    public static final SmtpReply NO_SERVICE = SmtpReply.of(503, "5.5.1", "Error: no SMTP service here");

    public static final SmtpReply TOO_BIG = SmtpReply.of(552, "5.3.4", "Error: message file too big");
    public static final SmtpReply TOO_MANY_RECIPIENTS = SmtpReply.of(452, "4.5.3", "Error: too many recipients");
    public static final SmtpReply BARE_LINE_ENDING = SmtpReply.of(550, "5.5.2",
            "Error: bare <CR> or <LF> in message; lines must end with <CR><LF>");
    /** 555 5.5.4 for a MAIL or RCPT parameter we do not support (RFC 5321 §4.1.1.11). */
    public static SmtpReply unsupportedParameter(String keyword) {
        return SmtpReply.of(555, "5.5.4", "Unsupported option: " + keyword);
    }

    public static final SmtpReply CHUNK_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: BDAT count [LAST]");
    public static final SmtpReply DATA_AFTER_BDAT = SmtpReply.of(503, "5.5.1",
            "Error: DATA is not allowed after BDAT in the same transaction");
    public static final SmtpReply NEED_SMTPUTF8 = SmtpReply.of(553, "5.6.7",
            "Must declare SMTPUTF8 to send a UTF-8 address");

    public static final SmtpReply READY_FOR_TLS = SmtpReply.of(220, "2.0.0", "Ready to start TLS");
    public static final SmtpReply STARTTLS_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: STARTTLS");
    public static final SmtpReply TLS_ACTIVE = SmtpReply.of(554, "5.5.1", "Error: TLS already active");
    public static final SmtpReply TLS_FIRST = SmtpReply.of(530, "5.7.0", "Must issue a STARTTLS command first");
    public static final SmtpReply IN_TRANSACTION = SmtpReply.of(503, "5.5.1", "Error: MAIL transaction in progress");

    public static final SmtpReply AUTH_REQUIRED = SmtpReply.of(530, "5.7.0", "Authentication required");
    public static final SmtpReply AUTH_NEEDS_TLS = SmtpReply.of(538, "5.7.11",
            "Encryption required for requested authentication mechanism");
    public static final SmtpReply AUTH_SYNTAX = SmtpReply.of(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
    public static final SmtpReply AUTH_MECHANISM = SmtpReply.of(504, "5.5.4", "Unrecognized authentication type");
    public static final SmtpReply ALREADY_AUTHENTICATED = SmtpReply.of(503, "5.5.1", "Error: already authenticated");
    public static final SmtpReply AUTH_ABORTED = SmtpReply.of(501, "5.7.0", "Authentication aborted");
    public static final SmtpReply AUTH_UNDECODABLE = SmtpReply.of(501, "5.5.2", "Cannot decode response");
    public static final SmtpReply AUTH_OK = SmtpReply.of(235, "2.7.0", "Authentication successful");
    public static final SmtpReply AUTH_FAILED = SmtpReply.of(535, "5.7.8", "Error: authentication failed");
    public static final SmtpReply AUTH_TEMPORARY = SmtpReply.of(454, "4.7.0",
            "Temporary authentication failure");

    /** 250 for a BDAT chunk that is not the last. */
    public static SmtpReply chunkReceived(long octets) {
        return SmtpReply.of(250, "2.0.0", "Ok: " + octets + " octets received");
    }

    public static final SmtpReply NOT_QUEUED = SmtpReply.of(451, "4.3.0",
            "Error: message not queued, please try again later");
}
