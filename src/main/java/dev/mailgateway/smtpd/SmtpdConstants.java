package dev.mailgateway.smtpd;

/**
 * Header names of the smtpd component. Exchanges from the listener carry the envelope and the client in these
 * headers and the message bytes as the body; a route tells the listener what to answer through
 * {@link #TAKEN} and {@link #REPLY}. Names are plain identifiers so they survive JMS properties.
 */
public final class SmtpdConstants {

    private SmtpdConstants() {
    }

    /** The queue id: unique across instances and restarts, safe as a file name. String. */
    public static final String QUEUE_ID = "SmtpdQueueId";
    /** The envelope sender (MAIL FROM); the empty string for the null sender {@code <>}. String. */
    public static final String SENDER = "SmtpdSender";
    /** The envelope recipients (RCPT TO), in the order given. {@code List<String>}. */
    public static final String RECIPIENTS = "SmtpdRecipients";
    /** MAIL FROM BODY= ({@code 7BIT} or {@code 8BITMIME}); absent when the client gave none. String. */
    public static final String BODY_TYPE = "SmtpdBodyType";
    /** The client's IP address. String. */
    public static final String CLIENT_ADDRESS = "SmtpdClientAddress";
    /** The client's TCP port. Integer. */
    public static final String CLIENT_PORT = "SmtpdClientPort";
    /** The HELO/EHLO name the client gave. String. */
    public static final String HELO = "SmtpdHelo";
    /** The name of the smtpd endpoint (listener) the message arrived on. String. */
    public static final String LISTENER = "SmtpdListener";
    /** The Received header's "with": {@code SMTP}, {@code ESMTP}, {@code ESMTPS}, {@code ESMTPSA}, {@code UTF8SMTPS}... */
    public static final String PROTOCOL = "SmtpdProtocol";
    /** Whether the client gave SMTPUTF8 (RFC 6531): UTF-8 addresses and headers. Boolean. */
    public static final String SMTPUTF8 = "SmtpdSmtpUtf8";
    /** The message size in bytes, our Received header included. Long. */
    public static final String SIZE = "SmtpdSize";
    /** The TLS protocol of the session (e.g. {@code TLSv1.3}); absent in plain text. String. */
    public static final String TLS_PROTOCOL = "SmtpdTlsProtocol";
    /** The TLS cipher suite of the session; absent in plain text. String. */
    public static final String TLS_CIPHER = "SmtpdTlsCipher";

    /**
     * Set to {@code true} by the route's last durable step. The client hears 250 only when the route completed
     * and this is set; a route that ends without it (for instance one that handled an error) gets 451 4.3.0.
     */
    public static final String TAKEN = "SmtpdTaken";
    /**
     * Set by a route to refuse the message (or, in a policy route, the envelope so far) with its own reply:
     * one line, {@code "550 5.7.1 text"}: a 4xx or 5xx code and an enhanced status code of the same class.
     */
    public static final String REPLY = "SmtpdReply";

    /** In policy routes: {@code CONNECT}, {@code HELO}, {@code MAIL} or {@code RCPT}. String. */
    public static final String STAGE = "SmtpdStage";
    /** In policy routes at RCPT: the recipient asked about (not yet in {@link #RECIPIENTS}). String. */
    public static final String RECIPIENT = "SmtpdRecipient";
    /** The authenticated user, when the client authenticated. String. */
    public static final String AUTH_USER = "SmtpdAuthUser";
    /** Whether the client is in the listener's trusted networks (policy routes and messages). Boolean. */
    public static final String TRUSTED_CLIENT = "SmtpdTrustedClient";
}
