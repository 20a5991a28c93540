package dev.mailgateway.relay;

import dev.mailgateway.mail.MailAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A delivery status notification (RFC 3464) in a multipart/report (RFC 6522): a human-readable part, the
 * machine-readable message/delivery-status with a block per recipient (final recipient, action, status, remote
 * MTA, diagnostic code), and the original message's header section. For messages with UTF-8 addresses the
 * RFC 6533 types (message/global-delivery-status, message/global-headers, utf-8 addresses) are used.
 */
public final class DeliveryStatusNotification {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

    /** What to report about one recipient. */
    public record Entry(MailAddress recipient, String action, RemoteReply reply, NextHop remote) {
    }

    private DeliveryStatusNotification() {
    }

    /**
     * @param delayed    true for a warning (the mail is still being tried), false for a failure report
     * @param sizeLimit  bytes of the original's header section quoted at most
     */
    public static byte[] build(String hostname, String dsnId, String originalQueueId, Instant arrival,
            MailAddress sender, List<Entry> entries, byte[] original, boolean delayed, int sizeLimit) {
        boolean utf8 = sender.isUtf8() || entries.stream().anyMatch(e -> e.recipient().isUtf8());
        ZonedDateTime now = ZonedDateTime.now();
        String boundary = originalQueueId + "." + now.toEpochSecond() + "/" + hostname;
        String crlf = "\r\n";
        StringBuilder m = new StringBuilder(4096);
        m.append("Date: ").append(DATE.format(now)).append(crlf)
                .append("From: Mail Delivery System <MAILER-DAEMON@").append(hostname).append('>').append(crlf)
                .append("To: <").append(sender).append('>').append(crlf)
                .append("Subject: ").append(delayed ? "Delayed Mail (still being retried)"
                        : "Undelivered Mail Returned to Sender").append(crlf)
                .append("Message-ID: <").append(dsnId).append('@').append(hostname).append('>').append(crlf)
                .append("Auto-Submitted: auto-replied").append(crlf)
                .append("MIME-Version: 1.0").append(crlf)
                .append("Content-Type: multipart/report; report-type=delivery-status;").append(crlf)
                .append("\tboundary=\"").append(boundary).append('"').append(crlf)
                .append(crlf)
                .append("This is a MIME-encapsulated message.").append(crlf).append(crlf);

        m.append("--").append(boundary).append(crlf)
                .append("Content-Description: Notification").append(crlf)
                .append("Content-Type: text/plain; charset=").append(utf8 ? "utf-8" : "us-ascii").append(crlf)
                .append(crlf)
                .append("This is the mail system at host ").append(hostname).append('.').append(crlf).append(crlf);
        if (delayed) {
            m.append("####################################################################").append(crlf)
                    .append("# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #").append(crlf)
                    .append("####################################################################").append(crlf)
                    .append(crlf)
                    .append("Your message could not be delivered yet. The mail system will keep trying.").append(crlf);
        } else {
            m.append("I'm sorry to have to inform you that your message could not").append(crlf)
                    .append("be delivered to one or more recipients. It's attached below.").append(crlf);
        }
        m.append(crlf);
        for (Entry entry : entries) {
            m.append('<').append(entry.recipient()).append(">: ")
                    .append(entry.remote() == null ? "" : "host " + entry.remote().label() + " said: ")
                    .append(entry.reply()).append(crlf);
        }
        m.append(crlf);

        m.append("--").append(boundary).append(crlf)
                .append("Content-Description: Delivery report").append(crlf)
                .append("Content-Type: message/").append(utf8 ? "global-delivery-status" : "delivery-status").append(crlf)
                .append(crlf)
                .append("Reporting-MTA: dns; ").append(hostname).append(crlf)
                .append("X-Mail-Gateway-Queue-ID: ").append(originalQueueId).append(crlf)
                .append("Arrival-Date: ").append(DATE.format(arrival.atZone(ZoneId.systemDefault()))).append(crlf);
        for (Entry entry : entries) {
            m.append(crlf)
                    .append("Final-Recipient: ").append(addressType(entry.recipient())).append("; ")
                    .append(entry.recipient()).append(crlf)
                    .append("Action: ").append(entry.action()).append(crlf)
                    .append("Status: ").append(entry.reply().dsnStatus()).append(crlf);
            if (entry.remote() != null) {
                m.append("Remote-MTA: dns; ").append(entry.remote().name()).append(crlf)
                        .append("Diagnostic-Code: smtp; ").append(entry.reply()).append(crlf);
            } else {
                m.append("Diagnostic-Code: X-Mail-Gateway; ").append(entry.reply()).append(crlf);
            }
            m.append("Last-Attempt-Date: ").append(DATE.format(now)).append(crlf);
        }
        m.append(crlf);

        m.append("--").append(boundary).append(crlf)
                .append("Content-Description: Undelivered Message Headers").append(crlf)
                .append("Content-Type: ").append(utf8 ? "message/global-headers" : "text/rfc822-headers").append(crlf)
                .append(crlf);
        byte[] head = m.toString().getBytes(StandardCharsets.UTF_8);
        byte[] headers = headerSection(original, sizeLimit);
        byte[] tail = (crlf + "--" + boundary + "--" + crlf).getBytes(StandardCharsets.US_ASCII);
        byte[] dsn = new byte[head.length + headers.length + tail.length];
        System.arraycopy(head, 0, dsn, 0, head.length);
        System.arraycopy(headers, 0, dsn, head.length, headers.length);
        System.arraycopy(tail, 0, dsn, head.length + headers.length, tail.length);
        return dsn;
    }

    private static String addressType(MailAddress address) {
        return address.isUtf8() ? "utf-8" : "rfc822";
    }

    /**
     * The original's header section: up to (not including) the empty line that ends it, or, when there is none
     * within {@code limit} bytes (a message with no empty line is "all headers"), its lines that fit in the limit.
     * Never more than {@code limit} bytes: a bounce must not carry a forger's payload back out.
     */
    static byte[] headerSection(byte[] message, int limit) {
        int end = Math.min(message.length, limit);
        int lastLineEnd = 0;
        for (int i = 0; i < end; i++) {
            if (message[i] == '\n') {
                if (i == 0 || (i == 1 && message[0] == '\r')) {
                    return new byte[0]; // no header at all
                }
                if (i + 1 < message.length && (message[i + 1] == '\n'
                        || (message[i + 1] == '\r' && i + 2 < message.length && message[i + 2] == '\n'))) {
                    return Arrays.copyOf(message, i + 1); // the empty line follows: the section ends here
                }
                lastLineEnd = i + 1;
            }
        }
        if (message.length <= limit) {
            return message; // all of it is header lines, and it fits
        }
        return Arrays.copyOf(message, lastLineEnd); // cut at a line end, never in the middle of a line
    }
}
