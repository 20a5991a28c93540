package dev.mailgateway.testkit;

import java.util.ArrayList;
import java.util.List;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;

/**
 * A message as text (ISO-8859-1: one char per byte, so 8-bit mail goes through unchanged): its header fields,
 * unfolded, and its body. Line endings are CRLF, as on the wire: .eml files saved with LF are converted, since the
 * gateway refuses bare line endings (gateway.smtp.bare-line-endings).
 */
final class MessageText {

    private final String text;

    MessageText(String text) {
        this.text = crlf(text);
    }

    private static String crlf(String text) {
        String lines = text.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
        return lines.endsWith("\r\n") ? lines : lines + "\r\n";
    }

    String text() {
        return text;
    }

    /** The message as DATA sends it: lines starting with a dot get another one (RFC 5321 4.5.2). */
    String dotStuffed() {
        return (text.startsWith(".") ? "." : "") + text.replace("\r\n.", "\r\n..");
    }

    /** Every header field as {@code Name: value}, unfolded, in order. */
    List<String> fields() {
        int end = text.indexOf("\r\n\r\n");
        String section = end < 0 ? text : text.substring(0, end);
        List<String> fields = new ArrayList<>();
        for (String line : section.split("\r\n")) {
            if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + line);
            } else if (line.contains(":")) {
                String name = line.substring(0, line.indexOf(':')).strip();
                fields.add(name + ": " + line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return fields;
    }

    /** The values of the fields of this name (any case), in order. */
    List<String> values(String name) {
        return fields().stream().filter(f -> f.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(f -> f.substring(name.length() + 1).strip()).toList();
    }

    /** What follows the blank line after the header section. */
    String body() {
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? "" : text.substring(end + 4);
    }

    /** The addresses of these header fields (From, or To and Cc): the envelope a test does not spell out. */
    List<String> addresses(String... names) {
        List<String> addresses = new ArrayList<>();
        for (String name : names) {
            for (String value : values(name)) {
                for (Mailbox mailbox : LenientAddressParser.DEFAULT.parseAddressList(value).flatten()) {
                    addresses.add(mailbox.getAddress());
                }
            }
        }
        return addresses;
    }
}
