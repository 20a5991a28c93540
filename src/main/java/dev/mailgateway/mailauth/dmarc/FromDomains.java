package dev.mailgateway.mailauth.dmarc;

import dev.mailgateway.mail.Printable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.field.address.ParseException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The domains of the RFC5322.From addresses, DMARC's Author Domains (RFC 7489 §6.6.1): one per address, over every
 * From field, in order, as lookup keys (lower case, internationalized names in ASCII form, no trailing dot).
 *
 * <p>Fields are split and unfolded by mime4j's stream parser (UTF-8 header bytes allowed, RFC 6532), each From
 * field's body parsed by mime4j's strict RFC 5322 address-list grammar: display names, comments (nested),
 * quoted strings, encoded words (decoded in display names only, so an {@code @} inside one is never taken for an
 * address), groups (RFC 6854), obsolete routes. mime4j's lenient parser is not used: it guesses at broken input
 * ({@code a@b@c.test} gives the domain {@code b@c.test}), and a guess is what a forger would aim at.
 *
 * <p>The answer is empty when there is no Author Domain to trust: no From field, only empty groups, or any From
 * field or address that does not parse to a domain name (a domain literal, a bad name), more than
 * {@value #MAX_ADDRESSES} addresses, or a header section over {@value #MAX_HEADER_BYTES} bytes. All or nothing:
 * a second, broken From field must not leave the first one to be checked alone while a mail reader shows the
 * other.
 */
public final class FromDomains {

    /** A header section larger than this is not parsed. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    /** More From addresses than this are not checked. */
    static final int MAX_ADDRESSES = 100;

    private static final Logger LOG = LoggerFactory.getLogger(FromDomains.class);

    /**
     * Bounds of our own (mime4j's defaults refuse header lines over 1000 characters, which real mail has): the
     * whole section is bounded already. Lines without a colon are skipped rather than taken for the body's start,
     * so a From field after one is still seen.
     */
    private static final MimeConfig CONFIG = MimeConfig.custom()
            .setMaxLineLen(MAX_HEADER_BYTES)
            .setMaxHeaderLen(MAX_HEADER_BYTES)
            .setMaxHeaderCount(-1)
            .setMalformedHeaderStartsBody(false)
            .build();

    private FromDomains() {
    }

    /**
     * @param headerSection the message's header section (a whole message will do: parsing stops at the blank
     *                      line that ends the header section)
     */
    public static List<String> of(byte[] headerSection) {
        int length = headerLength(headerSection);
        if (length < 0) {
            LOG.debug("No From domain: the header section is over {} bytes", MAX_HEADER_BYTES);
            return List.of();
        }
        try {
            return domains(new ByteArrayInputStream(headerSection, 0, length));
        } catch (IOException | MimeException | RuntimeException e) {
            LOG.debug("No From domain: the header section does not parse", e);
            return List.of();
        }
    }

    /** Reads at most {@value #MAX_HEADER_BYTES} bytes of the stream, and the two that may end the section. */
    public static List<String> of(InputStream in) throws IOException {
        return of(in.readNBytes(MAX_HEADER_BYTES + 2));
    }

    /**
     * How many bytes the header section has, up to and without the blank line that ends it; the whole input when
     * there is no blank line; -1 when that is more than the limit.
     */
    private static int headerLength(byte[] bytes) {
        int limit = Math.min(bytes.length, MAX_HEADER_BYTES + 1);
        int line = 0;
        while (line < limit) {
            if (bytes[line] == '\n' || bytes[line] == '\r' && line + 1 < bytes.length && bytes[line + 1] == '\n') {
                return line; // a blank line (first of all: an empty header section)
            }
            int next = line;
            while (next < limit && bytes[next] != '\n') {
                next++;
            }
            line = next + 1;
        }
        return bytes.length <= MAX_HEADER_BYTES ? bytes.length : -1;
    }

    private static List<String> domains(InputStream header) throws IOException, MimeException {
        MimeTokenStream stream = new MimeTokenStream(CONFIG);
        stream.parse(header);
        List<String> domains = new ArrayList<>();
        boolean anyFrom = false;
        for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM
                && state != EntityState.T_END_HEADER; state = stream.next()) {
            if (state != EntityState.T_FIELD || !stream.getField().getName().strip().equalsIgnoreCase("From")) {
                continue;
            }
            anyFrom = true;
            if (!addDomains(stream.getField(), domains)) {
                return List.of();
            }
        }
        if (!anyFrom) {
            LOG.debug("No From domain: no From field");
        }
        return List.copyOf(domains);
    }

    /** The field's addresses' domains, added; false when the field does not parse or there are too many. */
    private static boolean addDomains(Field from, List<String> domains) {
        String body = from.getBody(); // unfolded; decoded as UTF-8 where the bytes are not ASCII
        List<Mailbox> mailboxes;
        try {
            mailboxes = DefaultAddressParser.DEFAULT.parseAddressList(body, DecodeMonitor.SILENT).flatten();
        } catch (ParseException e) {
            LOG.debug("No From domain: From field does not parse: {}", Printable.escape(e.getMessage()));
            return false;
        }
        for (Mailbox mailbox : mailboxes) {
            String domain = domainName(mailbox.getDomain());
            if (domain == null) {
                LOG.debug("No From domain: '{}' is not a domain name", Printable.escape(mailbox.getDomain()));
                return false;
            }
            if (domains.size() == MAX_ADDRESSES) {
                LOG.debug("No From domain: over {} From addresses", MAX_ADDRESSES);
                return false;
            }
            domains.add(domain);
        }
        return true;
    }

    /** The lookup key of a host name; null for anything else (a domain literal, none, a name DNS cannot have). */
    public static String domainName(String domain) {
        if (domain == null || domain.startsWith("[")) {
            return null;
        }
        String key = OrganizationalDomains.key(domain);
        if (key.isEmpty() || key.length() > 253) {
            return null;
        }
        for (String label : key.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return null;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                // letters, digits, hyphen; underscores too, which DNS has and some senders' names use
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    return null;
                }
            }
        }
        return key;
    }
}
