package dev.mailgateway.edit.address;

import dev.mailgateway.mail.Printable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.ParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the addresses of one address field (From, To, Cc, Reply-To, Sender) in its raw value: only the
 * addr-specs change; display names (encoded words too), comments, group names, folding and spacing keep their
 * bytes. The field must parse as an RFC 5322 address list by mime4j's strict parser (groups, display names,
 * quoted strings, comments, encoded words) and the addresses {@link AddressSpans} finds in the raw text must be
 * mime4j's, one for one; otherwise the field is left as it is (said at debug: a broken header is the sender's).
 *
 * <p>The raw value comes as {@link dev.mailgateway.mail.HeaderEditor#rewriteAll} gives it: bytes as ISO-8859-1
 * characters, so 8-bit text survives; addresses are handed to the rewrite function as UTF-8 text (RFC 6532) and
 * written back as UTF-8 bytes.
 */
public final class AddressField {

    private static final Logger LOG = LoggerFactory.getLogger(AddressField.class);

    private AddressField() {
    }

    /**
     * @param rawValue the field's value after the colon, as written (no final CRLF)
     * @param rewrite  an address (local@domain as written) to its replacement, or null to keep it
     * @return the value with the replaced addresses; {@code rawValue} itself when nothing changed
     */
    public static String rewrite(String fieldName, String rawValue, UnaryOperator<String> rewrite) {
        List<AddressSpans.Span> spans = AddressSpans.find(rawValue);
        List<Mailbox> mailboxes = parse(fieldName, rawValue);
        if (spans == null || mailboxes == null || !sameAddresses(spans, mailboxes)) {
            if (mailboxes != null) {
                LOG.debug("{} field left as it is: its addresses could not be told apart in {}", fieldName,
                        Printable.escape(rawValue));
            }
            return rawValue;
        }
        StringBuilder out = new StringBuilder(rawValue);
        boolean changed = false;
        for (int i = spans.size() - 1; i >= 0; i--) { // from the end: earlier spans keep their offsets
            AddressSpans.Span span = spans.get(i);
            String replacement = rewrite.apply(utf8(span.address()));
            if (replacement != null) {
                out.replace(span.start(), span.end(), new String(replacement.getBytes(StandardCharsets.UTF_8),
                        StandardCharsets.ISO_8859_1));
                changed = true;
            }
        }
        return changed ? out.toString() : rawValue;
    }

    /** mime4j's mailboxes of the value (groups flattened), or null when it is not an address list. */
    private static List<Mailbox> parse(String fieldName, String rawValue) {
        String unfolded = utf8(rawValue.replaceAll("\r?\n(?=[ \t])", ""));
        try {
            return DefaultAddressParser.DEFAULT.parseAddressList(unfolded, DecodeMonitor.SILENT).flatten();
        } catch (ParseException | RuntimeException e) {
            LOG.debug("{} field left as it is: not an address list ({})", fieldName,
                    Printable.escape(String.valueOf(e.getMessage())));
            return null;
        }
    }

    /** The spans are mime4j's mailboxes in the same order: same local part (unquoted), same domain. */
    private static boolean sameAddresses(List<AddressSpans.Span> spans, List<Mailbox> mailboxes) {
        if (spans.size() != mailboxes.size()) {
            return false;
        }
        for (int i = 0; i < spans.size(); i++) {
            String address = utf8(spans.get(i).address());
            int at = localPartEnd(address);
            String local = unquote(at < 0 ? address : address.substring(0, at));
            String domain = at < 0 ? null : address.substring(at + 1);
            Mailbox mailbox = mailboxes.get(i);
            boolean sameDomain = domain == null ? mailbox.getDomain() == null
                    : domain.equalsIgnoreCase(mailbox.getDomain());
            if (!local.equals(mailbox.getLocalPart()) || !sameDomain) {
                return false;
            }
        }
        return true;
    }

    /** The index of the '@' after the local part (one inside quotes does not count), or -1. */
    private static int localPartEnd(String address) {
        boolean quoted = false;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '@' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** A local part as mime4j gives it: quotes taken away, quoted pairs resolved. */
    private static String unquote(String local) {
        StringBuilder out = new StringBuilder(local.length());
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '\\' && i + 1 < local.length()) {
                out.append(local.charAt(++i));
            } else if (c != '"') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Header bytes (carried as ISO-8859-1 characters) read as UTF-8. */
    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
