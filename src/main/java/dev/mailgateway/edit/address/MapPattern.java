package dev.mailgateway.edit.address;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code /regex/flags replacement} entry, as Postfix's regexp tables: the regex is searched for in the whole
 * address, and the result is the replacement with {@code $n} or {@code ${n}} standing for the groups (a group
 * that took no part: nothing) and {@code $$} for a dollar sign. The result replaces the whole address, not the part
 * matched.
 */
record MapPattern(Pattern pattern, String template, int line) {

    /** The replacement for this address, or null when the regex is not found in it. */
    String apply(String address) {
        Matcher matcher = pattern.matcher(address);
        if (!matcher.find()) {
            return null;
        }
        StringBuilder out = new StringBuilder(template.length() + 32);
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '$') {
                out.append(c);
                continue;
            }
            Reference ref = Reference.at(template, i);
            if (ref.group() < 0) {
                out.append('$');
            } else {
                String group = matcher.group(ref.group());
                out.append(group == null ? "" : group);
            }
            i = ref.end() - 1;
        }
        return out.toString();
    }

    /**
     * A {@code $} in a template: {@code $n} (one digit, as Postfix), {@code ${n}}, or {@code $$} (group -1).
     *
     * @param end the index after it
     */
    record Reference(int group, int end) {

        /** The reference that starts at {@code at} (a '$'); IllegalArgumentException when it is none. */
        static Reference at(String template, int at) {
            int next = at + 1;
            if (next < template.length() && template.charAt(next) == '$') {
                return new Reference(-1, next + 1);
            }
            if (next < template.length() && Character.isDigit(template.charAt(next))) {
                return new Reference(template.charAt(next) - '0', next + 1);
            }
            if (next < template.length() && template.charAt(next) == '{') {
                int close = template.indexOf('}', next);
                String digits = close < 0 ? "" : template.substring(next + 1, close);
                if (!digits.isEmpty() && digits.length() <= 2 && digits.chars().allMatch(Character::isDigit)) {
                    return new Reference(Integer.parseInt(digits), close + 1);
                }
            }
            throw new IllegalArgumentException("$ stands for a group ($1, ${1}) or a dollar sign ($$)");
        }
    }
}
