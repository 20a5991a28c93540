package dev.mailgateway.edit;

import dev.mailgateway.edit.address.AddressField;
import dev.mailgateway.edit.address.AddressMap;
import dev.mailgateway.edit.address.AddressRewriter;
import dev.mailgateway.files.WatchedFile;
import dev.mailgateway.mail.HeaderEditor;
import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.MessageBytes;
import dev.mailgateway.smtpd.SmtpdConstants;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code mail-edit:address-map}: addresses rewritten as Postfix's canonical maps rewrite them (file format in
 * {@link AddressMap}). The sender map applies to the envelope sender (never to the null sender {@code <>}), the
 * recipient map to each envelope recipient; with {@code headers=true} the sender map also applies to the
 * addresses of From, Reply-To and Sender, the recipient map to those of To and Cc, changing only the addresses
 * in those lines (display names and every other byte stay). What changed is listed in {@code MailRewrites}.
 * The map files are read at start (a bad line stops the start, naming file and line) and again when they change.
 */
final class AddressMapProducer extends DefaultProducer {

    private static final String[] SENDER_FIELDS = {"From", "Reply-To", "Sender"};
    private static final String[] RECIPIENT_FIELDS = {"To", "Cc"};

    private WatchedFile<AddressMap> senderMap;
    private WatchedFile<AddressMap> recipientMap;

    AddressMapProducer(MailEditEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public MailEditEndpoint getEndpoint() {
        return (MailEditEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        MailEditConfiguration config = getEndpoint().getConfiguration();
        senderMap = watch(config.getSenderMap(), "sender map");
        recipientMap = watch(config.getRecipientMap(), "recipient map");
    }

    /** Blank: no map. Read now, so a bad line stops the route's start rather than the first message. */
    private static WatchedFile<AddressMap> watch(String file, String name) {
        return file == null || file.isBlank() ? null : AddressMap.watch(Path.of(file.strip()), name, Clock.systemUTC());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        boolean utf8 = Boolean.TRUE.equals(message.getHeader(SmtpdConstants.SMTPUTF8, Boolean.class));
        String queueId = message.getHeader(SmtpdConstants.QUEUE_ID, String.class);
        AddressRewriter sender = rewriter(senderMap, "sender map", utf8, queueId);
        AddressRewriter recipient = rewriter(recipientMap, "recipient map", utf8, queueId);
        List<String> changes = new ArrayList<>();
        if (sender != null) {
            String from = message.getHeader(SmtpdConstants.SENDER, String.class);
            String rewritten = sender.rewrite(from);
            if (rewritten != null) {
                message.setHeader(SmtpdConstants.SENDER, rewritten);
                changes.add("sender " + from + " -> " + rewritten);
            }
        }
        if (recipient != null) {
            rewriteRecipients(message, recipient, changes);
        }
        if (getEndpoint().getConfiguration().isHeaders() && (sender != null || recipient != null)) {
            rewriteHeaders(exchange, sender, recipient, changes);
        }
        if (!changes.isEmpty()) {
            String before = message.getHeader(MailEditConstants.REWRITES, String.class);
            message.setHeader(MailEditConstants.REWRITES, (before == null ? "" : before + "; ")
                    + String.join("; ", changes));
        }
    }

    private static AddressRewriter rewriter(WatchedFile<AddressMap> file, String name, boolean utf8, String queueId) {
        AddressMap map = file == null ? AddressMap.EMPTY : file.current();
        return map.isEmpty() ? null : new AddressRewriter(map, name, utf8, queueId);
    }

    /** Each recipient rewritten; two that become the same address are one recipient (as Postfix's cleanup has it). */
    private static void rewriteRecipients(Message message, AddressRewriter recipient, List<String> changes) {
        List<?> recipients = message.getHeader(SmtpdConstants.RECIPIENTS, List.class);
        if (recipients == null) {
            return;
        }
        Map<Object, String> after = new LinkedHashMap<>();
        boolean changed = false;
        for (Object each : recipients) {
            String address = String.valueOf(each);
            String rewritten = recipient.rewrite(address);
            if (rewritten != null) {
                changes.add("recipient " + address + " -> " + rewritten);
                changed = true;
            }
            String now = rewritten == null ? address : rewritten;
            after.putIfAbsent(sameMailbox(now), now);
        }
        if (changed) {
            message.setHeader(SmtpdConstants.RECIPIENTS, List.copyOf(after.values()));
        }
    }

    /** What tells two recipients apart: the mailbox (domain regardless of case), or the text (RCPT TO:<postmaster>). */
    private static Object sameMailbox(String address) {
        try {
            return MailAddress.parse(address, true);
        } catch (IllegalArgumentException e) {
            return address;
        }
    }

    private static void rewriteHeaders(Exchange exchange, AddressRewriter sender, AddressRewriter recipient,
            List<String> changes) throws Exception {
        Message message = exchange.getMessage();
        byte[] header = MessageBytes.headerSection(message);
        HeaderEditor editor = new HeaderEditor(header);
        int before = changes.size();
        rewriteFields(editor, SENDER_FIELDS, sender, changes);
        rewriteFields(editor, RECIPIENT_FIELDS, recipient, changes);
        if (changes.size() > before) {
            MessageBytes.replaceHeader(exchange, editor.toBytes(), header.length);
        }
    }

    private static void rewriteFields(HeaderEditor editor, String[] names, AddressRewriter map, List<String> changes) {
        if (map == null) {
            return;
        }
        for (String name : names) {
            editor.rewriteAll(name, raw -> AddressField.rewrite(name, raw, address -> {
                String rewritten = map.rewrite(address);
                if (rewritten != null) {
                    changes.add(name + ": " + address + " -> " + rewritten);
                }
                return rewritten;
            }));
        }
    }
}
