package dev.mailgateway.filter.content;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the content-rules file format ({@link ContentRules} describes it) into rules, GTUBE first; a line that does
 * not parse is an IllegalArgumentException {@code content-rules line N: why}.
 */
final class RuleParser {

    private static final Pattern LINE = Pattern.compile("(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S.*)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern SCORE = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");
    private static final Pattern FIELD_NAME = Pattern.compile("[\\x21-\\x39\\x3b-\\x7e]+");
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    private static final String WHITE_SPACE_RUN = "[\\s\\u00a0\\u2000-\\u200a\\u202f\\u205f\\u3000]+";

    private RuleParser() {
    }

    /** The built-in GTUBE rule, then the text's rules in order. */
    static List<ContentRule> parse(String text) {
        List<ContentRule> rules = new ArrayList<>();
        rules.add(ContentRule.gtube());
        Set<String> names = new HashSet<>();
        names.add("GTUBE");
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = i == 0 && lines[i].startsWith("\ufeff") ? lines[i].substring(1) : lines[i];
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            rules.add(rule(line, i + 1, names));
        }
        return rules;
    }

    private static IllegalArgumentException error(int line, String why) {
        return new IllegalArgumentException("content-rules line " + line + ": " + why);
    }

    private static ContentRule rule(String line, int number, Set<String> names) {
        Matcher fields = LINE.matcher(line);
        if (!fields.matches()) {
            throw error(number, "expected NAME SCORE WHERE MATCH, found \"" + line + "\"");
        }
        String name = fields.group(1);
        String score = fields.group(2);
        String where = fields.group(3);
        String match = fields.group(4).strip();
        if (!NAME.matcher(name).matches()) {
            throw error(number, "a rule name is letters, digits and _, not \"" + name + "\"");
        }
        if (!names.add(name)) {
            throw error(number, name.equals("GTUBE") ? "GTUBE is the built-in rule's name"
                    : "rule " + name + " is named twice");
        }
        if (!SCORE.matcher(score).matches()) {
            throw error(number, "the score is a decimal number (like 3, 4.5 or -2), not \"" + score + "\"");
        }
        String field;
        if (where.equalsIgnoreCase("body")) {
            field = null;
        } else if (where.regionMatches(true, 0, "header:", 0, 7) && where.length() > 7
                && (where.substring(7).equals("*") || FIELD_NAME.matcher(where.substring(7)).matches())) {
            field = where.substring(7);
        } else {
            throw error(number, "WHERE is body, header:Field-Name or header:*, not \"" + where + "\"");
        }
        Pattern pattern;
        if (match.startsWith("/")) {
            pattern = regex(match, number);
        } else if (match.startsWith("\"")) {
            pattern = phrase(match, number);
        } else {
            throw error(number, "MATCH is /regex/flags or \"phrase\", not " + match);
        }
        return new ContentRule(name, Double.parseDouble(score), field, pattern, null);
    }

    private static Pattern regex(String match, int number) {
        int end = match.lastIndexOf('/');
        int backslashes = 0;
        while (end - 1 - backslashes > 0 && match.charAt(end - 1 - backslashes) == '\\') {
            backslashes++;
        }
        if (end == 0 || backslashes % 2 == 1) {
            throw error(number, "the regex has no closing /: " + match);
        }
        String regex = match.substring(1, end);
        if (regex.isEmpty()) {
            throw error(number, "the regex is empty");
        }
        int flags = 0;
        for (char flag : match.substring(end + 1).toCharArray()) {
            flags |= switch (flag) {
                case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                case 'm' -> Pattern.MULTILINE;
                case 's' -> Pattern.DOTALL;
                default -> throw error(number, "regex flags are i, m and s, not \"" + match.substring(end + 1)
                        + "\"" + (Character.isWhitespace(flag) ? " (nothing may follow a regex)" : ""));
            };
        }
        try {
            return Pattern.compile(regex, flags);
        } catch (PatternSyntaxException e) {
            throw error(number, "invalid regex: " + e.getDescription() + " near index " + e.getIndex()
                    + " of /" + regex + "/");
        }
    }

    private static Pattern phrase(String match, int number) {
        if (match.length() < 2 || !match.endsWith("\"")) {
            throw error(number, "the phrase has no closing \": " + match);
        }
        String phrase = match.substring(1, match.length() - 1).strip();
        if (phrase.isEmpty()) {
            throw error(number, "the phrase is empty");
        }
        StringBuilder regex = new StringBuilder();
        for (String word : BLANKS.split(phrase)) {
            if (regex.length() > 0) {
                regex.append(WHITE_SPACE_RUN);
            }
            regex.append(Pattern.quote(word));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
