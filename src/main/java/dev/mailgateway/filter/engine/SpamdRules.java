package dev.mailgateway.filter.engine;

import dev.mailgateway.filter.engine.EngineFailure.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of the rules that hit, from the body of spamd's reply: in {@link SpamdClient.Mode#SYMBOLS} the list
 * itself, in {@link SpamdClient.Mode#HEADERS} the {@code tests=} list of the {@code X-Spam-Status} field.
 */
final class SpamdRules {

    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern TESTS = Pattern.compile("(?:^|\\s)tests=((?:[A-Za-z0-9_.-]+,\\s*)*[A-Za-z0-9_.-]+)");

    private SpamdRules() {
    }

    /**
     * SYMBOLS: the rule names, comma-separated.
     *
     * @param spamd who answered, for the failure's message
     * @throws EngineFailure {@link Kind#PROTOCOL} for a name that is not a rule's
     */
    static List<String> ofSymbols(String spamd, String body) {
        List<String> rules = new ArrayList<>();
        for (String name : body.split(",")) {
            String rule = name.strip();
            if (rule.isEmpty()) {
                continue;
            }
            if (!RULE.matcher(rule).matches()) {
                throw new EngineFailure(Kind.PROTOCOL, spamd + ": not a rule name: " + SpamdReply.printable(rule));
            }
            rules.add(rule);
        }
        return rules;
    }

    /**
     * HEADERS: the rule names of the {@code tests=} list of the (unfolded) {@code X-Spam-Status} field; none
     * when the field is missing or says {@code tests=none} (a site may have changed the field's template).
     */
    static List<String> ofHeaders(String headers) {
        String status = null;
        StringBuilder field = null;
        for (String line : headers.split("\r?\n", -1)) {
            if (field != null && !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                field.append(line);
                continue;
            }
            if (field != null) {
                status = field.toString();
                break;
            }
            if (line.isEmpty()) {
                break; // the end of the header section
            }
            if (line.regionMatches(true, 0, "X-Spam-Status:", 0, 14)) {
                field = new StringBuilder(line.substring(14));
            }
        }
        if (status == null && field != null) {
            status = field.toString();
        }
        if (status == null) {
            return List.of();
        }
        Matcher tests = TESTS.matcher(status);
        if (!tests.find() || tests.group(1).equals("none")) {
            return List.of();
        }
        List<String> rules = new ArrayList<>();
        for (String name : tests.group(1).split(",")) {
            rules.add(name.strip());
        }
        return rules;
    }
}
