package dev.mailgateway.edit;

import dev.mailgateway.mail.HeaderEditor;
import dev.mailgateway.mail.HeaderText;
import dev.mailgateway.mail.Printable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The edits of one {@code mail-edit:header} step, checked once when the route starts: fields removed (names or
 * globs), one field set, one field added. Applied in that order: remove, then set, then add, each new field on
 * top, so the added field ends above the set one.
 *
 * <p>Some fields are refused, each for a reason a route author should hear at start rather than find in a reader's
 * complaint:
 * <ul>
 * <li>Received (remove, set, add): trace fields are the hop history that loop detection counts and that postmasters
 * read; the listener writes ours. mail-edit:strip-received removes the ones before us deliberately.</li>
 * <li>From and Date (remove): RFC 5322 §3.6 requires them; set replaces them instead.</li>
 * <li>MIME-Version, Content-Type, Content-Transfer-Encoding (remove, set, add): they say how every byte of the body
 * is read; without them a multipart message becomes one block of text.</li>
 * <li>add of a field RFC 5322 §3.6 allows once (Subject, To, Message-ID...): a second one makes the message invalid
 * and readers disagree on which counts; set replaces it.</li>
 * </ul>
 */
final class HeaderEdits {

    /** A field we write: its name and its value in both forms (RFC 2047 encoded words, and as given for SMTPUTF8). */
    record NewField(String name, String encoded, String utf8) {
    }

    private static final Set<String> TRACE = Set.of("received");
    private static final Set<String> MIME = Set.of("mime-version", "content-type", "content-transfer-encoding");
    private static final Set<String> REQUIRED = Set.of("from", "date");
    private static final List<String> NEVER_REMOVED = List.of("received", "from", "date", "mime-version",
            "content-type", "content-transfer-encoding");
    /** RFC 5322 §3.6: at most one of each (the MIME fields are refused anyway). */
    private static final Set<String> ONCE = Set.of("date", "from", "sender", "reply-to", "to", "cc", "bcc",
            "message-id", "in-reply-to", "references", "subject");
    /** Readers must accept lines up to 998 octets (RFC 5322 §2.1.1); folding breaks at spaces only. */
    private static final int MAX_LINE = 998;

    private final List<Pattern> removed;
    private final NewField set;
    private final NewField add;

    private HeaderEdits(List<Pattern> removed, NewField set, NewField add) {
        this.removed = removed;
        this.set = set;
        this.add = add;
    }

    /** @throws IllegalArgumentException naming the option and what is wrong with it */
    static HeaderEdits parse(String remove, String set, String add) {
        boolean none = isBlank(remove) && isBlank(set) && isBlank(add);
        if (none) {
            throw new IllegalArgumentException("mail-edit:header needs add, set or remove (add=Name: value,"
                    + " set=Name: value, remove=X-Internal-*,X-Other)");
        }
        List<Pattern> removed = isBlank(remove) ? List.of() : globs(remove);
        NewField setField = isBlank(set) ? null : field("set", set);
        NewField addField = isBlank(add) ? null : field("add", add);
        String name = setField == null ? null : setField.name().toLowerCase(Locale.ROOT);
        if (name != null && (TRACE.contains(name) || MIME.contains(name))) {
            throw refused("set", set, setField.name(), reason(name));
        }
        name = addField == null ? null : addField.name().toLowerCase(Locale.ROOT);
        if (name != null && (TRACE.contains(name) || MIME.contains(name))) {
            throw refused("add", add, addField.name(), reason(name));
        }
        if (name != null && ONCE.contains(name)) {
            throw refused("add", add, addField.name(), "RFC 5322 allows one " + addField.name()
                    + " field: use set=, which replaces it");
        }
        return new HeaderEdits(removed, setField, addField);
    }

    /** Edits the header section; the message's SMTPUTF8 decides how non-ASCII text is written. */
    void applyTo(HeaderEditor editor, boolean smtpUtf8) {
        if (!removed.isEmpty()) {
            editor.remove(name -> removed.stream().anyMatch(glob -> glob.matcher(name).matches()));
        }
        // HeaderEditor puts later additions below earlier ones: the field added last in our order goes first
        if (add != null) {
            editor.add(add.name(), smtpUtf8 ? add.utf8() : add.encoded());
        }
        if (set != null) {
            editor.remove(set.name());
            editor.add(set.name(), smtpUtf8 ? set.utf8() : set.encoded());
        }
    }

    private static List<Pattern> globs(String remove) {
        List<Pattern> globs = new ArrayList<>();
        for (String item : remove.split(",", -1)) {
            String glob = item.strip();
            if (!HeaderText.isFieldName(glob)) {
                throw new IllegalArgumentException("mail-edit:header remove=" + Printable.escape(remove) + ": "
                        + (glob.isEmpty() ? "an empty name between commas" : "'" + Printable.escape(glob)
                        + "' is not a field name (printable ASCII without colon or space, at most "
                        + HeaderText.MAX_NAME + " characters; * matches any characters)"));
            }
            StringBuilder regex = new StringBuilder();
            for (String piece : glob.toLowerCase(Locale.ROOT).split("\\*", -1)) {
                regex.append(regex.isEmpty() ? "" : ".*").append(Pattern.quote(piece));
            }
            Pattern pattern = Pattern.compile(regex.toString());
            for (String kept : NEVER_REMOVED) {
                if (pattern.matcher(kept).matches()) {
                    throw new IllegalArgumentException("mail-edit:header remove=" + Printable.escape(remove) + ": '"
                            + glob + "' would remove " + kept + ": " + reason(kept));
                }
            }
            globs.add(pattern);
        }
        return globs;
    }

    private static NewField field(String option, String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("mail-edit:header " + option + "=" + Printable.escape(text)
                    + ": expected 'Name: value'");
        }
        String name = text.substring(0, colon).strip();
        String value = text.substring(colon + 1).strip();
        if (!HeaderText.isFieldName(name)) {
            throw refused(option, text, name, "not a field name (printable ASCII without colon or space, at most "
                    + HeaderText.MAX_NAME + " characters)");
        }
        String problem = HeaderText.problem(text.substring(colon + 1));
        if (problem != null) {
            throw refused(option, text, name, "the value " + problem);
        }
        if (value.isEmpty()) {
            throw refused(option, text, name, "the value is empty");
        }
        NewField field = new NewField(name, HeaderText.encode(value, name.length() + 2, false), value);
        for (String form : List.of(field.encoded(), field.utf8())) {
            for (String line : HeaderEditor.fold(name + ": " + form).split("\r\n")) {
                if (line.getBytes(StandardCharsets.UTF_8).length > MAX_LINE) {
                    throw refused(option, text, name, "a word in the value is too long to fold into lines of "
                            + MAX_LINE + " octets");
                }
            }
        }
        return field;
    }

    private static String reason(String lowerCaseName) {
        if (TRACE.contains(lowerCaseName)) {
            return "trace fields are the hop history (loop detection counts them); mail-edit:strip-received removes"
                    + " those from before us";
        }
        if (MIME.contains(lowerCaseName)) {
            return "it says how the body is read; without it a MIME message is no longer one";
        }
        if (REQUIRED.contains(lowerCaseName)) {
            return "RFC 5322 requires it in every message (set= replaces it)";
        }
        throw new IllegalStateException(lowerCaseName);
    }

    private static IllegalArgumentException refused(String option, String text, String name, String why) {
        return new IllegalArgumentException("mail-edit:header " + option + "=" + Printable.escape(text) + ": "
                + Printable.escape(name) + ": " + why);
    }

    private static boolean isBlank(String option) {
        return option == null || option.isBlank();
    }
}
