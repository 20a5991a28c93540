package dev.mailgateway.filter.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads Rspamd's JSON reply to {@code /checkv2} as a {@link SpamReport}: the action as ours, the score and
 * {@code required_score}, the symbols, {@code messages.smtp_message}, the milter's {@code add_headers} and
 * {@code remove_headers}, the rewritten {@code subject}. A body that is not a JSON object, or lacks {@code action}
 * or {@code score}, is a {@code PROTOCOL} failure; everything else in it is optional.
 */
final class RspamdReply {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Orders the symbols: the heaviest first, by absolute score, then by name; symbols without a score last. */
    private static final Comparator<SpamReport.Symbol> SYMBOL_ORDER = Comparator
            .comparingDouble((SpamReport.Symbol s) -> Double.isNaN(s.score()) ? -1 : Math.abs(s.score())).reversed()
            .thenComparing(SpamReport.Symbol::name);

    private RspamdReply() {
    }

    /**
     * The report in a reply body.
     *
     * @param unknownAction told of each action we do not know (it is taken as no action), for the caller to log
     * @throws EngineFailure {@code PROTOCOL} for a body that is not a JSON object with {@code action} and
     *                       {@code score}
     */
    static SpamReport parse(byte[] body, Consumer<String> unknownAction) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: the reply is not JSON"
                    + RspamdFailures.snippet(body));
        }
        if (root == null || !root.isObject()) {
            throw new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: the reply is not a JSON object"
                    + RspamdFailures.snippet(body));
        }
        JsonNode action = root.get("action");
        JsonNode score = root.get("score");
        if (action == null || !action.isTextual() || score == null || !score.isNumber()) {
            throw new EngineFailure(EngineFailure.Kind.PROTOCOL, "rspamd: the reply has no action or score"
                    + RspamdFailures.snippet(body));
        }
        JsonNode required = root.get("required_score");
        JsonNode messages = root.get("messages");
        JsonNode milter = root.get("milter");
        JsonNode subject = root.get("subject");
        return new SpamReport(score.asDouble(),
                required != null && required.isNumber() ? required.asDouble() : Double.NaN,
                action(action.asText(), unknownAction),
                symbols(root.get("symbols")),
                messages != null && messages.path("smtp_message").isTextual()
                        ? messages.get("smtp_message").asText() : null,
                milter == null ? List.of() : addHeaders(milter.get("add_headers")),
                milter == null ? List.of() : removeHeaders(milter.get("remove_headers")),
                subject != null && subject.isTextual() ? subject.asText() : null);
    }

    private static EngineAction action(String action, Consumer<String> unknownAction) {
        switch (action) {
            case "no action":
                return EngineAction.PASS;
            case "add header":
                return EngineAction.TAG;
            case "rewrite subject":
                return EngineAction.REWRITE_SUBJECT;
            case "greylist":
            case "soft reject":
                return EngineAction.TEMPFAIL;
            case "reject":
                return EngineAction.REJECT;
            default:
                // a custom action, or discard/quarantine: nothing we act on
                unknownAction.accept(action);
                return EngineAction.PASS;
        }
    }

    private static List<SpamReport.Symbol> symbols(JsonNode symbols) {
        if (symbols == null || !symbols.isObject()) {
            return List.of();
        }
        List<SpamReport.Symbol> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = symbols.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode score = entry.getValue().path("score");
            list.add(new SpamReport.Symbol(entry.getKey(), score.isNumber() ? score.asDouble() : Double.NaN));
        }
        list.sort(SYMBOL_ORDER);
        return list;
    }

    /**
     * {@code milter.add_headers} in the shapes Rspamd emits: name → value, name → {value, order}, name → an array
     * of those. In the reply's order; {@code order} (where the milter would insert the field) is not kept.
     */
    private static List<SpamReport.Field> addHeaders(JsonNode headers) {
        if (headers == null || !headers.isObject()) {
            return List.of();
        }
        List<SpamReport.Field> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (value.isArray()) {
                for (JsonNode element : value) {
                    addField(fields, entry.getKey(), element);
                }
            } else {
                addField(fields, entry.getKey(), value);
            }
        }
        return fields;
    }

    private static void addField(List<SpamReport.Field> fields, String name, JsonNode value) {
        JsonNode text = value.isObject() ? value.get("value") : value;
        if (text != null && text.isTextual()) {
            fields.add(new SpamReport.Field(name, unfold(text.asText())));
        }
    }

    /** {@code milter.remove_headers}: name → which occurrence (0 all, n the n-th, negative from the end). */
    private static List<String> removeHeaders(JsonNode headers) {
        if (headers == null || !headers.isObject()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        headers.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A header value on one line: a line break before white space goes (RFC 5322 unfolding), any other one is a space. */
    static String unfold(String value) {
        return value.replaceAll("\r?\n(?=[ \t])", "").replaceAll("[\r\n]", " ");
    }
}
