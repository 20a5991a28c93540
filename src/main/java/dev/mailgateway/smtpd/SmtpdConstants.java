package dev.mailgateway.smtpd;

import org.apache.camel.spi.Metadata;

/**
 * Header names of the smtpd component. Exchanges from the listener carry the envelope and the client in these
 * headers and the message bytes as the body; a route tells the listener what to answer through
 * {@link #TAKEN} and {@link #REPLY}. Names are plain identifiers so they survive JMS properties.
 */
public final class SmtpdConstants {

    private SmtpdConstants() {
    }

    /** The queue id: unique across instances and restarts, safe as a file name. String. */
    @Metadata(description = "The queue id: unique across instances and restarts, sortable by time, safe as a file name",
            javaType = "String")
    public static final String QUEUE_ID = "SmtpdQueueId";
    /** The envelope sender (MAIL FROM); the empty string for the null sender {@code <>}. String. */
    @Metadata(description = "The envelope sender (MAIL FROM); the empty string for the null sender <>",
            javaType = "String")
    public static final String SENDER = "SmtpdSender";
    /** The envelope recipients (RCPT TO), in the order given. {@code List<String>}. */
    @Metadata(description = "The envelope recipients (RCPT TO), in the order given, without duplicates",
            javaType = "java.util.List<String>")
    public static final String RECIPIENTS = "SmtpdRecipients";
    /** MAIL FROM BODY= ({@code 7BIT} or {@code 8BITMIME}); absent when the client gave none. String. */
    @Metadata(description = "MAIL FROM BODY= (7BIT or 8BITMIME); absent when the client gave none",
            javaType = "String")
    public static final String BODY_TYPE = "SmtpdBodyType";
    /** The client's IP address. String. */
    @Metadata(description = "The client's IP address",
            javaType = "String")
    public static final String CLIENT_ADDRESS = "SmtpdClientAddress";
    /** The client's TCP port. Integer. */
    @Metadata(description = "The client's TCP port",
            javaType = "Integer")
    public static final String CLIENT_PORT = "SmtpdClientPort";
    /** The HELO/EHLO name the client gave. String. */
    @Metadata(description = "The HELO/EHLO name the client gave",
            javaType = "String")
    public static final String HELO = "SmtpdHelo";
    /** The name of the smtpd endpoint (listener) the message arrived on. String. */
    @Metadata(description = "The name of the listener (smtpd endpoint) the message arrived on",
            javaType = "String")
    public static final String LISTENER = "SmtpdListener";
    /** The Received header's "with": {@code SMTP}, {@code ESMTP}, {@code ESMTPS}, {@code ESMTPSA}, {@code UTF8SMTPS}... */
    @Metadata(description = "The Received header's with: SMTP, ESMTP, ESMTPS (TLS), ESMTPSA (TLS and AUTH), UTF8SMTPS...",
            javaType = "String")
    public static final String PROTOCOL = "SmtpdProtocol";
    /** Whether the client gave SMTPUTF8 (RFC 6531): UTF-8 addresses and headers. Boolean. */
    @Metadata(description = "Whether the client gave SMTPUTF8 (RFC 6531): the message may only go on to servers that offer it",
            javaType = "Boolean")
    public static final String SMTPUTF8 = "SmtpdSmtpUtf8";
    /** The message size in bytes, our Received header included. Long. */
    @Metadata(description = "The message size in bytes, our Received header included",
            javaType = "Long")
    public static final String SIZE = "SmtpdSize";
    /** The TLS protocol of the session (e.g. {@code TLSv1.3}); absent in plain text. String. */
    @Metadata(description = "The TLS protocol of the session (e.g. TLSv1.3); absent in plain text",
            javaType = "String")
    public static final String TLS_PROTOCOL = "SmtpdTlsProtocol";
    /** The TLS cipher suite of the session; absent in plain text. String. */
    @Metadata(description = "The TLS cipher suite of the session; absent in plain text",
            javaType = "String")
    public static final String TLS_CIPHER = "SmtpdTlsCipher";

    /**
     * Set to {@code true} by the route's last durable step. The client hears 250 only when the route completed
     * and this is set; a route that ends without it (for instance one that handled an error) gets 451 4.3.0.
     */
    @Metadata(description = "Set to true by the route's last durable step: the client hears 250 only when the route completed"
                    + " with it set; a route that ends without it gets 451 4.3.0",
            javaType = "Boolean")
    public static final String TAKEN = "SmtpdTaken";
    /**
     * Set by a route to refuse the message (or, in a policy route, the envelope so far) with its own reply:
     * one line, {@code "550 5.7.1 text"}: a 4xx or 5xx code and an enhanced status code of the same class.
     */
    @Metadata(description = "Set by a route to refuse the message (in a policy route: the envelope so far) with its own one-line"
                    + " reply, e.g. 550 5.7.1 text: a 4xx or 5xx code and an enhanced status code of the same class",
            javaType = "String")
    public static final String REPLY = "SmtpdReply";

    /** In policy routes: {@code CONNECT}, {@code HELO}, {@code MAIL} or {@code RCPT}. String. */
    @Metadata(description = "In policy routes: CONNECT, HELO, MAIL or RCPT",
            javaType = "String")
    public static final String STAGE = "SmtpdStage";
    /** In policy routes at RCPT: the recipient asked about (not yet in {@link #RECIPIENTS}). String. */
    @Metadata(description = "In policy routes at RCPT: the recipient asked about (not yet in SmtpdRecipients)",
            javaType = "String")
    public static final String RECIPIENT = "SmtpdRecipient";
    /** The authenticated user, when the client authenticated. String. */
    @Metadata(description = "The authenticated user, when the client authenticated",
            javaType = "String")
    public static final String AUTH_USER = "SmtpdAuthUser";
    /** Whether the client is in the listener's trusted networks (policy routes and messages). Boolean. */
    @Metadata(description = "Whether the client is in the listener's trusted networks (policy routes and messages)",
            javaType = "Boolean")
    public static final String TRUSTED_CLIENT = "SmtpdTrustedClient";
}
