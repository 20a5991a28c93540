package dev.mailgateway.testkit;

import java.util.List;

/**
 * The message as the next hop received it: its envelope, its header fields, and how they differ from what the
 * client sent ({@link #headerDiff()}).
 */
public final class Delivered {

    private final String sender;
    private final List<String> recipients;
    private final MessageText received;
    private final MessageText sent;

    Delivered(String sender, List<String> recipients, MessageText received, MessageText sent) {
        this.sender = sender;
        this.recipients = List.copyOf(recipients);
        this.received = received;
        this.sent = sent;
    }

    /** MAIL FROM at the next hop ("" for the null sender). */
    public String sender() {
        return sender;
    }

    /** RCPT TO at the next hop: every recipient it got the message for. */
    public List<String> recipients() {
        return recipients;
    }

    /** The first (topmost) field of this name, unfolded; null when there is none. */
    public String header(String name) {
        List<String> values = received.values(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Every field of this name, top to bottom. */
    public List<String> headers(String name) {
        return received.values(name);
    }

    /** Every header field as {@code Name: value}, top to bottom. */
    public List<String> fields() {
        return received.fields();
    }

    /** The body, as the next hop got it. */
    public String body() {
        return received.body();
    }

    /** True when the body is byte for byte what the client sent. */
    public boolean bodyUnchanged() {
        return received.body().equals(sent.body());
    }

    /** The whole message, CRLF line endings. */
    public String text() {
        return received.text();
    }

    /** The fields the gateway added to the header and the ones it removed. */
    public HeaderDiff headerDiff() {
        return new HeaderDiff(sent.fields(), received.fields());
    }

    @Override
    public String toString() {
        return "MAIL FROM:<" + sender + "> RCPT TO:" + recipients + "\n" + received.text();
    }
}
