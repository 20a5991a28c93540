package dev.mailgateway.filter.engine;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Puts a scan's envelope in Rspamd's request headers ({@code IP}, {@code Helo}, {@code Hostname}, {@code From},
 * {@code Rcpt}, {@code Queue-Id}, {@code User}, {@code TLS-Cipher}: {@link RspamdClient} says which and why), each
 * value as one line of ASCII.
 */
final class RspamdRequestHeaders {

    private RspamdRequestHeaders() {
    }

    /** Adds the envelope of {@code request} to {@code headers}; a header without a value is left out. */
    static void addEnvelope(HttpHeaders headers, ScanRequest request) {
        if (request.client() != null) {
            headers.add("IP", address(request.client()));
        }
        header(headers, "Helo", request.helo());
        header(headers, "Hostname", request.clientName());
        if (request.sender() != null) {
            header(headers, "From", request.sender().isEmpty() ? "<>" : request.sender());
        }
        for (String recipient : request.recipients()) {
            header(headers, "Rcpt", recipient);
        }
        header(headers, "Queue-Id", request.queueId());
        header(headers, "User", request.authUser());
        if (request.tls()) {
            headers.add("TLS-Cipher", "unknown");
        }
    }

    /**
     * Adds a request header when there is a value, as one line of ASCII: control characters (CR and LF among them)
     * become spaces; a domain name ({@code Helo}, {@code Hostname}, the domain of an address) goes as its A-label;
     * any other character outside ASCII (in a UTF-8 local part, a user name) as {@code ?}. HTTP/1.1 header values
     * are written as one byte per character, so UTF-8 cannot reach Rspamd this way (Rspamd's own milter sends
     * the same ASCII form).
     */
    private static void header(HttpHeaders headers, String name, String value) {
        if (value == null) {
            return;
        }
        String clean = ascii(switch (name) {
            case "Helo", "Hostname" -> domain(value);
            case "From", "Rcpt" -> mailbox(value);
            default -> value;
        });
        if (!clean.isEmpty()) {
            headers.add(name, clean);
        }
    }

    private static String ascii(String value) {
        StringBuilder clean = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            clean.append(c < 0x20 || c == 0x7f ? ' ' : c < 0x80 ? c : '?');
        }
        return clean.toString().strip();
    }

    private static String mailbox(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at + 1) + domain(address.substring(at + 1));
    }

    private static String domain(String name) {
        if (name.chars().allMatch(c -> c < 0x80)) {
            return name;
        }
        try {
            return IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) { // not a domain name: its characters outside ASCII become '?'
            return name;
        }
    }

    /** The address as Rspamd parses it: no IPv6 scope. */
    private static String address(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress()).getHostAddress();
        } catch (UnknownHostException e) { // only for a length that is no address
            throw new IllegalArgumentException("not an IP address: " + address, e);
        }
    }
}
