package dev.mailgateway.fanout;

import dev.mailgateway.filter.MailFilterConstants;
import dev.mailgateway.mail.HeaderEditor;
import dev.mailgateway.mail.MessageBytes;
import dev.mailgateway.mailauth.MailAuthConstants;
import dev.mailgateway.mailauth.dkim.DkimResult;
import dev.mailgateway.mailauth.dmarc.DmarcResult;
import dev.mailgateway.mailauth.spf.SpfResult;
import dev.mailgateway.policy.MailPolicyConstants;
import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.SpoolEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Message;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * The accepted event of a message, from what the listener and the blocks left on the exchange: the envelope and
 * client (smtpd headers), the authentication results (mail-auth), the verdict (mail-filter), Message-ID and Subject
 * from the header section as spooled. Works on a message read back from a queue too, with what its properties
 * still carry (the archive of a message spooled before events existed).
 */
final class AcceptedEvents {

    private AcceptedEvents() {
    }

    /**
     * @param decision {@code deliver} or {@code quarantine}; blank or null: {@code quarantine} when a block
     *                 quarantined the message ({@code MailQuarantine}, or the spool's {@code SpoolQuarantine} on a
     *                 message read back from a queue), else {@code deliver}
     */
    static AcceptedEvent of(Message message, String decision) {
        if (decision == null || decision.isBlank()) {
            decision = Boolean.TRUE.equals(message.getHeader(MailAuthConstants.QUARANTINE, Boolean.class))
                    || Boolean.TRUE.equals(message.getHeader(SpoolEnvelope.QUARANTINE, Boolean.class))
                    ? "quarantine" : "deliver";
        }
        Long queuedAt = message.getHeader(SpoolEnvelope.QUEUED_AT, Long.class);
        HeaderEditor header = header(message);
        String tlsProtocol = message.getHeader(SmtpdConstants.TLS_PROTOCOL, String.class);
        return new AcceptedEvent("accepted",
                Instant.ofEpochMilli(queuedAt != null ? queuedAt : System.currentTimeMillis()).toString(),
                message.getHeader(SmtpdConstants.QUEUE_ID, String.class),
                new AcceptedEvent.Envelope(message.getHeader(SmtpdConstants.SENDER, String.class), recipients(message)),
                header == null ? null : unfolded(header.firstValue("Message-ID")),
                header == null ? null : decoded(header.firstValue("Subject")),
                message.getHeader(SmtpdConstants.SIZE, Long.class),
                new AcceptedEvent.Client(message.getHeader(SmtpdConstants.CLIENT_ADDRESS, String.class),
                        message.getHeader(SmtpdConstants.CLIENT_PORT, Integer.class), null,
                        message.getHeader(SmtpdConstants.HELO, String.class),
                        message.getHeader(SmtpdConstants.TRUSTED_CLIENT, Boolean.class)),
                message.getHeader(SmtpdConstants.LISTENER, String.class),
                tlsProtocol == null ? null
                        : new AcceptedEvent.Tls(tlsProtocol, message.getHeader(SmtpdConstants.TLS_CIPHER, String.class)),
                message.getHeader(SmtpdConstants.AUTH_USER, String.class),
                authentication(message),
                new AcceptedEvent.Spam(message.getHeader(MailFilterConstants.VERDICT, String.class),
                        message.getHeader(MailPolicyConstants.SCORE, Double.class),
                        strings(message.getHeader(MailPolicyConstants.REASONS, List.class))),
                decision);
    }

    /** As spooled (our postmaster readdressed); on a message from the listener only, as the client gave them. */
    private static List<String> recipients(Message message) {
        String spooled = message.getHeader(SpoolEnvelope.RECIPIENTS, String.class);
        if (spooled != null) {
            return SpoolEnvelope.split(spooled);
        }
        return strings(message.getHeader(SmtpdConstants.RECIPIENTS, List.class));
    }

    private static AcceptedEvent.Authentication authentication(Message message) {
        SpfResult spf = message.getHeader(MailAuthConstants.SPF, SpfResult.class);
        DmarcResult dmarc = message.getHeader(MailAuthConstants.DMARC, DmarcResult.class);
        List<AcceptedEvent.Dkim> dkim = new ArrayList<>();
        List<?> signatures = message.getHeader(MailAuthConstants.DKIM, List.class);
        if (signatures != null) {
            for (Object each : signatures) {
                if (each instanceof DkimResult result) {
                    dkim.add(new AcceptedEvent.Dkim(result.result().keyword(), result.domain(), result.selector()));
                }
            }
        }
        return new AcceptedEvent.Authentication(
                spf == null ? null : new AcceptedEvent.Spf(spf.result().keyword(), spf.domain()),
                dkim,
                dmarc == null ? null : new AcceptedEvent.Dmarc(dmarc.result().keyword(), dmarc.fromDomain(),
                        dmarc.policy().name().toLowerCase(Locale.ROOT)));
    }

    private static List<String> strings(List<?> values) {
        if (values == null) {
            return List.of();
        }
        List<String> strings = new ArrayList<>(values.size());
        values.forEach(v -> strings.add(String.valueOf(v)));
        return strings;
    }

    /** The header section as spooled; null when it cannot be read (the event goes out without its fields). */
    private static HeaderEditor header(Message message) {
        try {
            return new HeaderEditor(MessageBytes.headerSection(message));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A raw value unfolded, 8-bit text read as UTF-8 (RFC 6532), without the spaces around it. */
    static String unfolded(String raw) {
        if (raw == null) {
            return null;
        }
        String text = new String(raw.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return text.replace("\r\n", "").replace("\n", "").strip();
    }

    /** As a person reads it: unfolded and RFC 2047 encoded words decoded (leniently: a broken one stays as written). */
    static String decoded(String raw) {
        String text = unfolded(raw);
        if (text == null || !text.contains("=?")) {
            return text;
        }
        try {
            return DecoderUtil.decodeEncodedWords(text, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return text;
        }
    }
}
