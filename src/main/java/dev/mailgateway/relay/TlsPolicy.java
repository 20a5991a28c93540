package dev.mailgateway.relay;

/** TLS towards a next hop, as Postfix's smtp_tls_security_level. */
public enum TlsPolicy {
    /** Plain text. */
    NONE,
    /** STARTTLS when offered; plain text when not, or when the handshake fails. Certificates are not checked (RFC 7435). */
    MAY,
    /** STARTTLS or nothing: a next hop that does not offer it defers the mail (4.7.4). Certificates are not checked. */
    ENCRYPT,
    /**
     * STARTTLS with a certificate that chains to a trusted CA and names the next hop; anything less defers the
     * mail (4.7.4, 4.7.5). The only level over which a password is sent, unless the operator chose otherwise.
     */
    VERIFY;

    /** Whether TLS is required (the mail waits rather than go in plain text). */
    boolean required() {
        return this == ENCRYPT || this == VERIFY;
    }
}
