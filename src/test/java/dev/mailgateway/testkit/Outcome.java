package dev.mailgateway.testkit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailgateway.testing.Sink;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.activemq.command.ActiveMQQueue;

/**
 * What became of a message: the SMTP reply and the decision it stands for, what the routes found (verdict, score,
 * reasons, any exchange header), the message as the next hop received it, its copies on queues and its events.
 * Everything that happens after the reply (delivery, copies, events) is waited for, up to a generous bound: a
 * test on a busy machine waits longer, a passing one no longer than it takes.
 */
public final class Outcome {

    /** The outcomes a client can see, as the SMTP reply policy names them. */
    public enum Decision {
        /** 250, for delivery. */
        ACCEPTED,
        /** 250, onto mail.quarantine: delivered only when released. */
        QUARANTINED,
        /** 5xx: the client must not try again; nothing was kept. */
        REFUSED,
        /** 4xx: the client keeps the message and tries again later. */
        TEMPFAILED
    }

    private static final Duration AFTER_THE_REPLY = Duration.ofSeconds(90);
    private static final String QUEUED = "250 2.0.0 Ok: queued as ";

    private final RouteTestKit kit;
    private final MessageText sent;
    private final String reply;
    private final Map<String, String> rcptReplies;
    private final String clientAddress;
    private final int clientPort;

    private Outcome(RouteTestKit kit, MessageText sent, String reply, Map<String, String> rcptReplies,
            String clientAddress, int clientPort) {
        this.kit = kit;
        this.sent = sent;
        this.reply = reply;
        this.rcptReplies = Map.copyOf(rcptReplies);
        this.clientAddress = clientAddress;
        this.clientPort = clientPort;
    }

    /** Refused before the data: no route after DATA saw it. */
    static Outcome refused(RouteTestKit kit, MessageText sent, String reply, Map<String, String> rcptReplies) {
        return new Outcome(kit, sent, reply, rcptReplies, null, -1);
    }

    static Outcome afterData(RouteTestKit kit, MessageText sent, String reply, Map<String, String> rcptReplies,
            String clientAddress, int clientPort) {
        return new Outcome(kit, sent, reply, rcptReplies, clientAddress, clientPort);
    }

    /** The reply that decided: the first refusal before DATA, or the reply to the message. */
    public String reply() {
        return reply;
    }

    /** The reply to each RCPT TO (the envelope's recipients, in order). */
    public Map<String, String> recipientReplies() {
        return rcptReplies;
    }

    public Decision decision() {
        if (reply.startsWith("4")) {
            return Decision.TEMPFAILED;
        }
        if (!reply.startsWith("2")) {
            return Decision.REFUSED;
        }
        return Boolean.parseBoolean(String.valueOf(routeHeader("MailQuarantine")))
                ? Decision.QUARANTINED : Decision.ACCEPTED;
    }

    /** The queue id of an accepted (or quarantined) message; null otherwise. */
    public String queueId() {
        return reply.startsWith(QUEUED) ? reply.substring(QUEUED.length()).strip() : null;
    }

    /** The spam verdict of routes/filtering.yaml: pass, tag, quarantine, tempfail, reject (null: not reached). */
    public String verdict() {
        Object verdict = routeHeader("MailVerdict");
        return verdict == null ? null : verdict.toString();
    }

    /** The score every check added up to (MailScore); 0 when none scored. */
    public double score() {
        Object score = routeHeader("MailScore");
        return score == null ? 0 : Double.parseDouble(score.toString());
    }

    /** The findings behind the score, e.g. "GTUBE (1000)", "ATTACHMENT_EXTENSION exe [invoice.exe]". */
    public List<String> reasons() {
        Object reasons = routeHeader("MailReasons");
        if (reasons == null) {
            return List.of();
        }
        return reasons instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : List.of(reasons.toString());
    }

    /**
     * An exchange header as it was when the routes had finished with the message (README "Writing routes",
     * "Filtering spam": SmtpdReply, MailVerdict, MailRewrites, SpoolCopies...); null when the routes did not set it.
     */
    public Object routeHeader(String name) {
        return routeHeaders().get(name);
    }

    private Map<String, Object> routeHeaders() {
        if (clientAddress == null) {
            throw new AssertionError("refused before DATA (" + reply + "): no route after DATA saw this message");
        }
        InboundExchanges inbound = kit.inbound();
        // the route has finished before the reply is sent, but its completion may be recorded a moment later
        await("the routes' end of this message").atMost(AFTER_THE_REPLY)
                .until(() -> inbound.of(clientAddress, clientPort) != null);
        Map<String, Object> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(inbound.of(clientAddress, clientPort));
        return headers;
    }

    /** The message as the next hop received it, once it has received it for every recipient taken. */
    public Delivered delivered() {
        String id = acceptedId("delivered");
        Set<String> expected = new LinkedHashSet<>();
        rcptReplies.forEach((recipient, answer) -> {
            if (answer.startsWith("250")) {
                expected.add(recipient);
            }
        });
        await("delivery of " + id + " to " + expected).atMost(AFTER_THE_REPLY)
                .until(() -> recipientsAtNextHop(id).containsAll(expected));
        List<Sink.Received> received = atNextHop(id);
        Sink.Received first = received.get(0);
        List<String> recipients = new ArrayList<>();
        received.forEach(r -> recipients.addAll(r.recipients()));
        return new Delivered(first.sender(), recipients,
                new MessageText(new String(first.content(), StandardCharsets.ISO_8859_1)), sent);
    }

    private String acceptedId(String what) {
        String id = queueId();
        if (id == null || decision() != Decision.ACCEPTED) {
            throw new AssertionError("not " + what + ": the gateway answered " + reply + " (" + decision() + ")");
        }
        return id;
    }

    /** The next hop's messages that are this one: our Received field names its queue id. */
    private List<Sink.Received> atNextHop(String id) {
        return kit.nextHop().received().stream()
                .filter(r -> new String(r.content(), StandardCharsets.ISO_8859_1).contains(" id " + id))
                .toList();
    }

    private Set<String> recipientsAtNextHop(String id) {
        Set<String> recipients = new LinkedHashSet<>();
        atNextHop(id).forEach(r -> recipients.addAll(r.recipients()));
        return recipients;
    }

    /**
     * The copies of this message on a queue (README "Copies to queues"): waits for them when a copy step marked the
     * message for that queue; none, at once, when no step did.
     */
    public List<Copy> copies(String queue) throws JMSException {
        String id = queueId();
        Object marks = id == null ? null : routeHeader("SpoolCopies");
        if (marks == null || !List.of(marks.toString().split(",")).contains("jms:queue:" + queue)) {
            return List.of();
        }
        Session session = kit.broker().createSession(false, Session.AUTO_ACKNOWLEDGE);
        try {
            await("a copy of " + id + " on " + queue).atMost(AFTER_THE_REPLY)
                    .until(() -> !copiesOn(session, queue, id).isEmpty());
            return copiesOn(session, queue, id);
        } finally {
            session.close();
        }
    }

    private static List<Copy> copiesOn(Session session, String queue, String id) throws JMSException {
        List<Copy> copies = new ArrayList<>();
        try (QueueBrowser browser = session.createBrowser(new ActiveMQQueue(queue))) {
            for (Object each : Collections.list(browser.getEnumeration())) {
                Message message = (Message) each;
                if (id.equals(message.getStringProperty("SmtpdQueueId")) && message instanceof BytesMessage bytes) {
                    byte[] content = new byte[(int) bytes.getBodyLength()];
                    bytes.readBytes(content);
                    String recipients = message.getStringProperty("SpoolRecipients");
                    copies.add(new Copy(queue, id, message.getStringProperty("SmtpdSender"),
                            recipients == null ? List.of() : List.of(recipients.split("\n")), content));
                }
            }
        }
        return copies;
    }

    /**
     * This message's event of this type (README "Mail events": accepted, delivered, deferred, bounced), once it
     * has arrived; the first one when there are several (one per recipient).
     */
    public JsonNode event(String type) {
        String id = queueId();
        if (id == null) {
            throw new AssertionError("no events: the gateway answered " + reply);
        }
        await(type + " event of " + id).atMost(AFTER_THE_REPLY)
                .until(() -> kit.events().of(id).stream().anyMatch(e -> type.equals(e.path("type").asText())));
        return kit.events().of(id).stream().filter(e -> type.equals(e.path("type").asText())).findFirst()
                .orElseThrow();
    }

    @Override
    public String toString() {
        return reply;
    }
}
