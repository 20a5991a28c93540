package dev.mailgateway.relay;

/** TLS towards a next hop, as Postfix's smtp_tls_security_level. Certificates are not verified (RFC 7435). */
public enum TlsPolicy {
    /** Plain text. */
    NONE,
    /** STARTTLS when offered; plain text when not, or when the handshake fails. */
    MAY,
    /** STARTTLS or nothing: a next hop that does not offer it defers the mail (4.7.4). */
    ENCRYPT
}
