package dev.mailgateway.filter;

import dev.mailgateway.policy.MailPolicyConstants;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.camel.Message;

/** Reasons as the filters write them ({@code NAME (score)}) and read them back (the test names of X-Spam-Status). */
final class Reasons {

    private Reasons() {
    }

    /** {@code GTUBE (1000)}, {@code MISSING_DATE (1.5)}; a score the engine did not give is left out. */
    static String of(String name, double score) {
        if (Double.isNaN(score)) {
            return name;
        }
        return name + " (" + score(score) + ")";
    }

    /** A score as SpamAssassin writes it: one decimal, more only when needed ({@code 1000}, {@code 2.5}, {@code 0.25}). */
    static String score(double score) {
        if (score == Math.rint(score) && Math.abs(score) < 1e9) {
            return Long.toString((long) score);
        }
        String text = String.format(Locale.ROOT, "%.2f", score);
        return text.endsWith("0") ? text.substring(0, text.length() - 1) : text;
    }

    /** The names of every reason so far (the first word of each), each once, in order. */
    static List<String> names(Message message) {
        Set<String> names = new LinkedHashSet<>();
        for (String reason : all(message)) {
            int end = 0;
            while (end < reason.length() && !Character.isWhitespace(reason.charAt(end)) && reason.charAt(end) != '(') {
                end++;
            }
            if (end > 0) {
                names.add(reason.substring(0, end));
            }
        }
        return List.copyOf(names);
    }

    /** The names of the reasons that scored highest, at most {@code count}, highest first. */
    static List<String> strongest(Message message, int count) {
        record Scored(String name, double score) {
        }
        List<Scored> scored = new ArrayList<>();
        for (String reason : all(message)) {
            int open = reason.lastIndexOf(" (");
            if (open > 0 && reason.endsWith(")")) {
                try {
                    double score = Double.parseDouble(reason.substring(open + 2, reason.length() - 1));
                    if (score > 0) {
                        scored.add(new Scored(reason.substring(0, open).split(" ")[0], score));
                    }
                } catch (NumberFormatException e) {
                    // not a scored reason
                }
            }
        }
        scored.sort((a, b) -> Double.compare(b.score(), a.score()));
        return scored.stream().map(Scored::name).distinct().limit(count).toList();
    }

    private static List<String> all(Message message) {
        List<?> reasons = message.getHeader(MailPolicyConstants.REASONS, List.class);
        if (reasons == null) {
            return List.of();
        }
        List<String> all = new ArrayList<>(reasons.size());
        reasons.forEach(r -> all.add(String.valueOf(r)));
        return all;
    }
}
