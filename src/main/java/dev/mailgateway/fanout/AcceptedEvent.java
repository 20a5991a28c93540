package dev.mailgateway.fanout;

import java.util.List;

/**
 * The event of a message the gateway accepted (250): published on VirtualTopic.mail.events and kept beside the
 * archived message as {@code <queue-id>.json}. The field names are a contract with other systems (README, "Mail
 * events"): add fields, never rename or remove one. Every field is always present; what is not known is null.
 *
 * @param type           {@code accepted}
 * @param time           when the message was queued, ISO-8601 in UTC with milliseconds
 * @param size           bytes as spooled, our header lines included
 * @param decision       what the inbound route did with it: {@code deliver} or {@code quarantine}
 */
public record AcceptedEvent(String type, String time, String queueId, Envelope envelope, String messageId,
        String subject, Long size, Client client, String listener, Tls tls, String authUser,
        Authentication authentication, Spam spam, String decision) {

    /** @param sender the envelope sender, {@code ""} for the null sender {@code <>} */
    public record Envelope(String sender, List<String> recipients) {
    }

    /**
     * @param name    the client's verified host name: always null for now (the gateway does no reverse lookup)
     * @param trusted whether the client is in the listener's trusted networks
     */
    public record Client(String address, Integer port, String name, String helo, Boolean trusted) {
    }

    /** Null in the event when the session had no TLS. */
    public record Tls(String protocol, String cipher) {
    }

    /** Results of the mail-auth blocks; null (dkim: empty) when the block did not run, e.g. for trusted clients. */
    public record Authentication(Spf spf, List<Dkim> dkim, Dmarc dmarc) {
    }

    /** @param domain the domain checked: the MAIL FROM domain, or the HELO name for the null sender */
    public record Spf(String result, String domain) {
    }

    public record Dkim(String result, String domain, String selector) {
    }

    /** @param domain the From domain; @param policy its p= (or sp=): none, quarantine, reject */
    public record Dmarc(String result, String domain, String policy) {
    }

    /**
     * @param verdict {@code pass}, {@code tag}, {@code quarantine} (or null when no verdict step ran)
     * @param score   the running score of every block (MailScore)
     * @param reasons what the blocks found (MailReasons), e.g. {@code LOTTERY_SUBJECT (4.5)}
     */
    public record Spam(String verdict, Double score, List<String> reasons) {
    }
}
