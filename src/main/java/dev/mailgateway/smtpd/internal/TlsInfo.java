package dev.mailgateway.smtpd.internal;

/** The TLS a session runs over, once the handshake is done. */
public record TlsInfo(String protocol, String cipher) {
}
