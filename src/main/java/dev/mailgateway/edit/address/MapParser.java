package dev.mailgateway.edit.address;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.Printable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads an address map's text (the format {@link AddressMap} describes), refusing the first line that is wrong. */
final class MapParser {

    private final String name;
    private final Map<String, AddressMap.Entry> addresses = new HashMap<>();
    private final Map<String, AddressMap.Entry> domains = new HashMap<>();
    private final List<MapPattern> patterns = new ArrayList<>();
    private int number;

    private MapParser(String name) {
        this.name = name;
    }

    static AddressMap parse(String text, String name) {
        MapParser parser = new MapParser(name);
        for (String line : text.split("\r\n|\r|\n", -1)) {
            parser.number++;
            String entry = line.strip();
            if (!entry.isEmpty() && !entry.startsWith("#")) {
                parser.entry(entry);
            }
        }
        return new AddressMap(parser.addresses, parser.domains, parser.patterns);
    }

    private void entry(String line) {
        if (line.startsWith("/")) {
            pattern(line);
            return;
        }
        int keyEnd = tokenEnd(line, 0);
        String key = line.substring(0, keyEnd);
        String replacement = replacement(line, keyEnd, key);
        String notOne = "the replacement " + quoted(replacement) + " is not an address or @domain";
        if (replacement.startsWith("@")) {
            domain(replacement, notOne);
        } else {
            address(replacement, notOne);
        }
        if (key.startsWith("@")) {
            put(domains, domain(key, quoted(key) + " is not an @domain").domainKey(), key, replacement);
        } else {
            put(addresses, AddressMap.key(address(key, quoted(key) + " is not an address, @domain or /regex/")),
                    key, replacement);
        }
    }

    private void put(Map<String, AddressMap.Entry> entries, String lookupKey, String key, String replacement) {
        AddressMap.Entry before = entries.putIfAbsent(lookupKey, new AddressMap.Entry(replacement, number));
        if (before != null) {
            throw error(quoted(key) + " is on line " + before.line() + " already");
        }
    }

    /** {@code /regex/flags replacement}: the regex ends at the first '/' not escaped by a backslash. */
    private void pattern(String line) {
        int close = 1;
        while (close < line.length() && line.charAt(close) != '/') {
            close += line.charAt(close) == '\\' ? 2 : 1;
        }
        if (close >= line.length()) {
            throw error("the regex has no closing /");
        }
        int flagsEnd = tokenEnd(line, close + 1);
        int flags = 0;
        for (char flag : line.substring(close + 1, flagsEnd).toCharArray()) {
            if (flag != 'i') {
                throw error("the only regex flag is i (regardless of case), not " + quoted(String.valueOf(flag)));
            }
            flags = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(line.substring(1, close), flags);
        } catch (PatternSyntaxException e) {
            throw error("the regex does not compile: " + e.getDescription() + " near index " + e.getIndex());
        }
        String template = replacement(line, flagsEnd, line.substring(0, flagsEnd));
        checkGroups(template, pattern.matcher("").groupCount());
        patterns.add(new MapPattern(pattern, template, number));
    }

    /** Every $ reference in a template names a group the regex has. */
    private void checkGroups(String template, int groups) {
        for (int i = template.indexOf('$'); i >= 0; i = template.indexOf('$', i)) {
            MapPattern.Reference reference;
            try {
                reference = MapPattern.Reference.at(template, i);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
            if (reference.group() > groups) {
                throw error("$" + reference.group() + " but the regex has " + groups + " group"
                        + (groups == 1 ? "" : "s"));
            }
            i = reference.end();
        }
    }

    /** The one token after the key; an error when there is none, or more. */
    private String replacement(String line, int keyEnd, String key) {
        String rest = line.substring(keyEnd).strip();
        if (rest.isEmpty()) {
            throw error("nothing to replace " + quoted(key) + " with");
        }
        int end = tokenEnd(rest, 0);
        if (end < rest.length()) {
            throw error("one replacement a line: " + quoted(rest.substring(end).strip()) + " is one too many");
        }
        return rest;
    }

    /** {@code @domain}, checked as the domain of an address. */
    private MailAddress domain(String text, String why) {
        return address("postmaster" + text, why);
    }

    private MailAddress address(String text, String why) {
        try {
            return MailAddress.parse(text, true);
        } catch (IllegalArgumentException e) {
            throw error(why);
        }
    }

    /** Where a token starting at {@code from} ends: at a blank, except inside a quoted local part. */
    private static int tokenEnd(String line, int from) {
        boolean quoted = false;
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && Character.isWhitespace(c)) {
                return i;
            }
        }
        return line.length();
    }

    private static String quoted(String text) {
        return "\"" + Printable.escape(text) + "\"";
    }

    private IllegalArgumentException error(String why) {
        return new IllegalArgumentException(name + " line " + number + ": " + why);
    }
}
