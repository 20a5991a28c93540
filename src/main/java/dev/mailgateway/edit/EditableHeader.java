package dev.mailgateway.edit;

import dev.mailgateway.mail.HeaderEditor;
import dev.mailgateway.mail.MessageBytes;
import dev.mailgateway.ops.ThrottledWarnings;
import dev.mailgateway.smtpd.SmtpdConstants;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.LoggerFactory;

/**
 * A message's header section opened for a byte-exact edit, and written back only when the edit changed it. A
 * header section that cannot be edited exactly is left alone, and the block says why in
 * {@link MailEditConstants#SKIPPED} (the route decides what that means): one with bare CR or LF line endings,
 * where our field boundaries are not the reader's (the listener never passes such a message on: it refuses or
 * normalizes them, but exchanges may come from elsewhere), and one longer than {@link MessageBytes#HEADER_LIMIT},
 * of which only the start was read.
 */
final class EditableHeader {

    private static final ThrottledWarnings WARNINGS =
            new ThrottledWarnings(LoggerFactory.getLogger(EditableHeader.class), Duration.ofMinutes(1));

    private final byte[] original;
    private final HeaderEditor editor;

    private EditableHeader(byte[] original) {
        this.original = original;
        this.editor = new HeaderEditor(original);
    }

    /**
     * Opens the header section, lets the edit change it (told whether the message came under SMTPUTF8, when its
     * fields may carry UTF-8 as it is, RFC 6532) and writes it back when it changed; when the header section
     * cannot be edited, records why and leaves the message alone.
     */
    static void edit(Exchange exchange, MailEditEndpoint.Block block, BiConsumer<HeaderEditor, Boolean> edit)
            throws IOException {
        EditableHeader header = open(exchange, block);
        if (header != null) {
            edit.accept(header.editor(), smtpUtf8(exchange));
            header.save(exchange);
        }
    }

    /** The header section of the exchange's message, or null when it cannot be edited (the reason recorded). */
    static EditableHeader open(Exchange exchange, MailEditEndpoint.Block block) throws IOException {
        Message message = exchange.getMessage();
        byte[] header = MessageBytes.headerSection(message);
        String problem = problem(header);
        if (problem != null) {
            skipped(exchange, block, problem);
            return null;
        }
        return new EditableHeader(header);
    }

    /** Records that the block left the message as it was, and why; warns (at most once a minute a block). */
    static void skipped(Exchange exchange, MailEditEndpoint.Block block, String why) {
        Message message = exchange.getMessage();
        List<String> reasons = new ArrayList<>();
        List<?> earlier = message.getHeader(MailEditConstants.SKIPPED, List.class);
        if (earlier != null) {
            earlier.forEach(reason -> reasons.add(String.valueOf(reason)));
        }
        reasons.add(block.uriName() + ": " + why);
        message.setHeader(MailEditConstants.SKIPPED, reasons);
        WARNINGS.warn(block.uriName(), "{} mail-edit:{} left the message unchanged: {}",
                message.getHeader(SmtpdConstants.QUEUE_ID, "-", String.class), block.uriName(), why);
    }

    HeaderEditor editor() {
        return editor;
    }

    /** Writes the edited header section in place of the old one, when the edit changed anything. */
    void save(Exchange exchange) throws IOException {
        if (editor.changed()) {
            MessageBytes.replaceHeader(exchange, editor.toBytes(), original.length);
        }
    }

    private static boolean smtpUtf8(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.getMessage().getHeader(SmtpdConstants.SMTPUTF8, Boolean.class));
    }

    static String problem(byte[] header) {
        boolean ended = header.length >= 2 && header[header.length - 2] == '\r' && header[header.length - 1] == '\n'
                && (header.length == 2 || header.length >= 4 && header[header.length - 4] == '\r'
                        && header[header.length - 3] == '\n');
        if (!ended && header.length >= MessageBytes.HEADER_LIMIT) {
            return "the header section is longer than " + MessageBytes.HEADER_LIMIT + " octets";
        }
        for (int i = 0; i < header.length; i++) {
            boolean crlf = header[i] == '\r' && i + 1 < header.length && header[i + 1] == '\n';
            if (crlf) {
                i++;
            } else if (header[i] == '\r' || header[i] == '\n') {
                return "bare CR or LF line endings in the header section";
            }
        }
        return null;
    }
}
