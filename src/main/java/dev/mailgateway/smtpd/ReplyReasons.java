package dev.mailgateway.smtpd;

import dev.mailgateway.mail.SmtpReply;
import java.util.Locale;

/**
 * Why the listener said no, as a short name for the {@code smtpd_replies_total} metric's {@code reason} label. Read
 * off the reply itself, so a refusal counts the same wherever it was decided (the session, a policy block, a route's
 * SmtpdReply): first the texts our own blocks write, then the RFC 3463 / RFC 7372 status code. A route's own wording
 * with 5.7.x counts as {@code policy}. Few values on purpose: each is a time series.
 */
public final class ReplyReasons {

    private ReplyReasons() {
    }

    /** {@code ok} for 2xx and 3xx; otherwise the reason the reply gives. */
    public static String of(SmtpReply reply) {
        if (reply.isPositive()) {
            return "ok";
        }
        String text = reply.text().toLowerCase(Locale.ROOT);
        String status = reply.status() == null ? "" : reply.status();
        if (text.contains("relay access denied")) {
            return "relay-denied";
        }
        if (text.contains("blocked using") || text.contains("sender address rejected: blocked")) {
            return "dnsbl";
        }
        if (text.contains("greylist")) {
            return "greylist";
        }
        if (text.contains("rate limit")) {
            return "rate-limit";
        }
        if (text.contains("attachment")) {
            return "attachment";
        }
        if (text.contains("spam") || text.contains("content scanner")) {
            return "spam";
        }
        if (text.contains("dmarc") || status.equals("5.7.25") || status.equals("5.7.26")) {
            return "dmarc";
        }
        if (status.equals("5.7.23") || status.equals("4.7.24") || status.equals("5.7.24")) {
            return "spf";
        }
        if (status.equals("5.7.20") || status.equals("5.7.21") || status.equals("5.7.22")) {
            return "dkim";
        }
        if (text.contains("bare <cr>")) {
            return "smuggling";
        }
        if (status.equals("5.3.4") || status.equals("5.2.3")) {
            return "size";
        }
        if (status.equals("5.1.1") || status.equals("4.1.1")) {
            return "unknown-recipient";
        }
        if (status.equals("4.5.3")) {
            return "too-many-recipients";
        }
        if (text.contains("starttls")) {
            return "tls-required";
        }
        if (status.startsWith("5.7.8") || status.equals("5.7.11") || text.contains("authentication")) {
            return "auth";
        }
        if (status.equals("4.4.2")) {
            return "timeout";
        }
        if (text.contains("too many connections") || text.contains("busy") || text.contains("shutting down")
                || text.contains("too many errors")) {
            return "load";
        }
        if (status.equals("5.4.6")) {
            return "loop";
        }
        if (status.startsWith("4.3.") || status.startsWith("5.3.")) {
            return "not-queued";
        }
        if (status.startsWith("5.5.") || status.startsWith("5.1.3") || status.startsWith("5.1.7")
                || status.startsWith("5.6.")) {
            return "protocol";
        }
        if (status.startsWith("5.7.") || status.startsWith("4.7.")) {
            return "policy";
        }
        return "other";
    }
}
