package dev.mailgateway.ops.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.MessageBytes;
import dev.mailgateway.relay.NextHopPlan;
import dev.mailgateway.smtpd.SmtpdConstants;
import dev.mailgateway.spool.EmbeddedBroker;
import dev.mailgateway.spool.Queues;
import dev.mailgateway.spool.SpoolEnvelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.CamelContext;

/**
 * The explanation, as a map that is the JSON output's structure (a stable contract for tools, documented in README)
 * and as text for a person: the session, the policy findings per stage, what the routes found about the message
 * (authentication, spam verdict, reasons), what they changed (envelope, header lines), where it would be queued
 * and copied, the decision, and each recipient's next hops.
 */
final class ExplainReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExplainReport() {
    }

    static Map<String, Object> of(ExplainOptions options, byte[] message, ExplainSession.Outcome outcome,
            List<RouteFindings.Finding> findings, List<RecordingJms.Sent> sent, CamelContext context) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("message", Map.of("file", options.message().toString(), "size", message.length));
        report.put("envelope", Map.of("from", options.from(), "to", options.to()));
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("address", options.client());
        client.put("helo", options.helo());
        client.put("listener", options.listener());
        client.put("auth", options.authUser());
        report.put("client", client);
        report.put("session", outcome.transcript());
        report.put("policy", findings.stream().filter(f -> f.stage() != null).map(RouteFindings::asMap).toList());
        RouteFindings.Finding inbound = findings.stream().filter(f -> f.stage() == null).reduce((a, b) -> b)
                .orElse(null);
        if (inbound != null) {
            report.put("authentication", inbound.authentication());
            Map<String, Object> spam = new LinkedHashMap<>();
            spam.put("verdict", inbound.verdict());
            spam.put("score", inbound.score());
            spam.put("reasons", inbound.reasons());
            report.put("spam", spam);
        }
        RecordingJms.Sent queued = sent.stream().filter(s -> s.destination().equals("queue:" + Queues.SPOOL)
                || s.destination().equals("queue:" + Queues.QUARANTINE)).reduce((a, b) -> b).orElse(null);
        String outcomeName = decision(outcome.reply(), queued);
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("outcome", outcomeName);
        decision.put("stage", outcome.stage());
        decision.put("reply", outcome.reply());
        if (queued != null) {
            report.put("rewrites", rewrites(options, message, queued));
            report.put("queued", queued(queued));
            if (outcomeName.equals("accepted")) {
                report.put("nextHops", nextHops(queued, context));
            }
        }
        report.put("decision", decision);
        return report;
    }

    private static String decision(String reply, RecordingJms.Sent queued) {
        if (reply.startsWith("2")) {
            return queued != null && quarantined(queued) ? "quarantined" : "accepted";
        }
        return reply.startsWith("4") ? "tempfailed" : "refused";
    }

    private static Map<String, Object> rewrites(ExplainOptions options, byte[] message, RecordingJms.Sent queued)
            throws Exception {
        Map<String, Object> rewrites = new LinkedHashMap<>();
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("from", queued.headers().get(SmtpdConstants.SENDER));
        Object recipients = queued.headers().get(SpoolEnvelope.RECIPIENTS);
        envelope.put("to", recipients == null ? options.to() : SpoolEnvelope.split(recipients.toString()));
        rewrites.put("envelope", envelope);
        List<String> before = fields(message);
        List<String> after = fields(queued.body());
        List<String> removed = new ArrayList<>(before);
        after.forEach(removed::remove);
        List<String> added = new ArrayList<>(after);
        before.forEach(added::remove);
        rewrites.put("headersRemoved", removed);
        rewrites.put("headersAdded", added);
        return rewrites;
    }

    /** The header fields, each unfolded onto one line, in order. */
    static List<String> fields(byte[] message) {
        String section = new String(message, 0, MessageBytes.headerLength(message, message.length),
                StandardCharsets.UTF_8);
        List<String> fields = new ArrayList<>();
        for (String line : section.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + " " + line.strip());
            } else {
                fields.add(line);
            }
        }
        return fields;
    }

    /** Kept on mail.quarantine: sent there by a route of the operator's, or forwarded there by the spool. */
    private static boolean quarantined(RecordingJms.Sent queued) {
        return queued.destination().endsWith(Queues.QUARANTINE) || spooledTo(queued).contains(Queues.QUARANTINE);
    }

    /** Where the spool forwards the message, by the broker's own selectors (EmbeddedBroker.spoolFanOut). */
    private static List<String> spooledTo(RecordingJms.Sent queued) {
        return queued.destination().equals("queue:" + Queues.SPOOL) ? EmbeddedBroker.forwardedTo(queued.headers())
                : List.of();
    }

    private static Map<String, Object> queued(RecordingJms.Sent queued) {
        Map<String, Object> where = new LinkedHashMap<>();
        where.put("queue", queued.destination().substring("queue:".length()));
        List<String> forwarded = spooledTo(queued);
        if (forwarded.contains(Queues.COPIES)) {
            where.put("copiesTo", List.of(queued.headers().get(SpoolEnvelope.COPIES).toString().split("\\s*,\\s*")));
        }
        where.put("forwardedTo", forwarded);
        return where;
    }

    private static Map<String, Object> nextHops(RecordingJms.Sent queued, CamelContext context) throws Exception {
        NextHopPlan plan = NextHopPlan.of(context, "smtp-relay:out");
        Map<String, Object> hops = new LinkedHashMap<>();
        Object recipients = queued.headers().get(SpoolEnvelope.RECIPIENTS);
        for (String recipient : SpoolEnvelope.split(Objects.toString(recipients, ""))) {
            NextHopPlan.Plan each = plan.forRecipient(MailAddress.parse(recipient, true));
            Map<String, Object> hop = new LinkedHashMap<>();
            hop.put("via", each.via());
            hop.put("hosts", each.hosts());
            if (each.failure() != null) {
                hop.put("failure", each.failure());
            }
            hops.put(recipient, hop);
        }
        return hops;
    }

    static String json(Map<String, Object> report) {
        try {
            return JSON.writeValueAsString(report) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> report) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> client = (Map<String, Object>) report.get("client");
        Map<String, Object> envelope = (Map<String, Object>) report.get("envelope");
        out.append("Message ").append(((Map<String, Object>) report.get("message")).get("file")).append(" from <")
                .append(envelope.get("from")).append("> to ").append(envelope.get("to")).append(", client ")
                .append(client.get("address")).append(" (HELO ").append(client.get("helo")).append(") on ")
                .append(client.get("listener")).append(client.get("auth") == null ? "" : ", logged in as "
                        + client.get("auth")).append("\n\nSession\n");
        for (Map<String, String> step : (List<Map<String, String>>) report.get("session")) {
            out.append("  > ").append(step.get("client")).append("\n");
            for (String line : step.get("server").split("\n")) {
                out.append("  < ").append(line).append("\n");
            }
        }
        List<Map<String, Object>> policy = (List<Map<String, Object>>) report.get("policy");
        if (!policy.isEmpty()) {
            out.append("\nPolicy checks\n");
            for (Map<String, Object> stage : policy) {
                out.append("  ").append(stage.get("stage")).append(": score ").append(stage.get("score"))
                        .append(", ").append(stage.get("reasons"))
                        .append(stage.containsKey("reply") ? ", refused: " + stage.get("reply") : "")
                        .append(stage.containsKey("proposedReply") ? ", proposed: " + stage.get("proposedReply") : "")
                        .append("\n");
            }
        }
        if (report.containsKey("spam")) {
            Map<String, Object> spam = (Map<String, Object>) report.get("spam");
            out.append("\nMessage checks\n  authentication: ").append(report.get("authentication"))
                    .append("\n  spam verdict: ").append(spam.get("verdict")).append(", score ").append(spam.get("score"))
                    .append(", ").append(spam.get("reasons")).append("\n");
        }
        if (report.containsKey("rewrites")) {
            Map<String, Object> rewrites = (Map<String, Object>) report.get("rewrites");
            out.append("\nChanges\n  envelope: ").append(rewrites.get("envelope")).append("\n");
            ((List<String>) rewrites.get("headersRemoved")).forEach(h -> out.append("  - ").append(h).append("\n"));
            ((List<String>) rewrites.get("headersAdded")).forEach(h -> out.append("  + ").append(h).append("\n"));
            out.append("\nQueued: ").append(report.get("queued")).append("\n");
        }
        Map<String, Object> decision = (Map<String, Object>) report.get("decision");
        out.append("\nDecision: ").append(decision.get("outcome")).append(" at ").append(decision.get("stage"))
                .append(": ").append(decision.get("reply")).append("\n");
        if (report.containsKey("nextHops")) {
            out.append("\nNext hops\n");
            ((Map<String, Object>) report.get("nextHops")).forEach((recipient, hop) -> out.append("  ")
                    .append(recipient).append(": ").append(hop).append("\n"));
        }
        return out.toString();
    }
}
