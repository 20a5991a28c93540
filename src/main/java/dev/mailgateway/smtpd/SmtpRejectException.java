package dev.mailgateway.smtpd;

import dev.mailgateway.mail.SmtpReply;

/**
 * Thrown by a route to refuse a message with a reply of its choosing, e.g.
 * {@code new SmtpRejectException(550, "5.7.1", "Message content rejected")}. The code must be 4xx or 5xx and the
 * enhanced status code of the same class; a reply that breaks this is replaced by 451 4.3.0 and logged.
 */
public class SmtpRejectException extends RuntimeException {

    private final int code;
    private final String status;
    private final String text;

    public SmtpRejectException(int code, String status, String text) {
        super(code + " " + status + " " + text);
        this.code = code;
        this.status = status;
        this.text = text;
    }

    public int getCode() {
        return code;
    }

    public String getStatus() {
        return status;
    }

    public String getText() {
        return text;
    }

    /**
     * @throws IllegalArgumentException when the parts do not make a 4xx/5xx reply with a matching status
     */
    public SmtpReply toReply() {
        return SmtpReply.refusal(code, status, text);
    }
}
