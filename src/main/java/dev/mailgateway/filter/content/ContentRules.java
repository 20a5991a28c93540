package dev.mailgateway.filter.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's content rules ({@code config/content-rules}) plus the built-in GTUBE rule (score 1000, as
 * SpamAssassin gives it). Reloaded when the file changes (checked at most once a second); a file that does not
 * parse keeps the rules loaded before and logs the file, line and why ({@link #watch}).
 *
 * <p>The file: one rule a line, four fields separated by blanks (spaces or tabs):
 * <pre>
 * # NAME              SCORE  WHERE            MATCH
 * LOTTERY_SUBJECT     4.5    header:Subject   /you (have )?won .*lottery/i
 * CASINO_PHRASE       3      body             "online casino"
 * BADCORP_FROM        10     header:From      /&#64;badcorp\.example\b/
 * SELF_WHITELIST     -2      header:X-Mailer  "Our CRM 2.1"
 * </pre>
 * <ul>
 * <li>Blank lines, and lines whose first non-blank character is {@code #}, are ignored. There are no comments at
 *     the end of a rule's line (a {@code #} there is part of MATCH).</li>
 * <li>NAME: letters, digits and {@code _}; each name once in the file ({@code GTUBE} is taken by the built-in
 *     rule).</li>
 * <li>SCORE: a decimal number, negative allowed ({@code -2}, {@code 0.5}, {@code +3}); added to the message's score
 *     when the rule hits.</li>
 * <li>WHERE: {@code body}, the decoded text of the message's text/plain and text/html parts (HTML as is, see
 *     {@link ContentScan#text()}); {@code header:Field-Name}, the decoded value of every top-level field of that
 *     name (the name without regard to case; a hit in any of them counts once); {@code header:*}, every top-level
 *     field, matched as {@code Name: value}.</li>
 * <li>MATCH, the rest of the line: {@code /regex/flags}, a Java regular expression found anywhere in the text,
 *     with flags {@code i} (case-insensitive, Unicode), {@code m} (^ and $ at line ends), {@code s} (. matches line
 *     ends); the regex ends at the line's last {@code /}, and a {@code /} inside may be written {@code \/}. Or
 *     {@code "phrase"}: the text between the first and the last {@code "}, found literally anywhere without regard
 *     to case, where a run of blanks in the phrase matches any run of white space (line breaks and no-break spaces
 *     too) in the text.</li>
 * </ul>
 * A line that does not parse is an {@link IllegalArgumentException} {@code content-rules line N: why}.
 *
 * <p>The regexes run on text an attacker writes: each rule gets at most 20 million character reads per message (a
 * regex that backtracks catastrophically reaches that in a fraction of a second), after which it does not hit, and
 * a warning names the rule (at most once a minute per rule). So does a regex that recurses past the thread's stack.
 */
public final class ContentRules {

    private static final Logger LOG = LoggerFactory.getLogger(ContentRules.class);

    /** The Generic Test for Unsolicited Bulk Email: a message whose text has this string hits rule GTUBE. */
    public static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    public static final double GTUBE_SCORE = 1000;

    /** Character reads one rule may make on one message. */
    static final long MATCH_BUDGET = 20_000_000;
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final Pattern LINE = Pattern.compile("(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S.*)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern SCORE = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");
    private static final Pattern FIELD_NAME = Pattern.compile("[\\x21-\\x39\\x3b-\\x7e]+");
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    private static final String WHITE_SPACE_RUN = "[\\s\\u00a0\\u2000-\\u200a\\u202f\\u205f\\u3000]+";

    private static final ContentRules BUILT_IN = new ContentRules(List.of(Rule.gtube()));

    private final List<Rule> rules;

    private ContentRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** GTUBE only: the rules when there is no file. */
    public static ContentRules builtIn() {
        return BUILT_IN;
    }

    /** Rules from a file (absent file: GTUBE only). Throws when the file exists and does not parse. */
    public static ContentRules load(Path file) {
        try {
            String text = read(file);
            return text == null ? BUILT_IN : parseFile(text, file);
        } catch (IOException e) {
            throw new UncheckedIOException("content rules " + file + " could not be read", e);
        }
    }

    /**
     * Rules from a file, re-read when it changes: see {@link Watched}. Throws as {@link #load} does when the file
     * exists and does not parse (a gateway should not start with rules it cannot read).
     */
    public static Watched watch(Path file) {
        return new Watched(file, Clock.systemUTC());
    }

    /** As {@link #watch(Path)}, checking the file by this clock. */
    public static Watched watch(Path file, Clock clock) {
        return new Watched(file, clock);
    }

    /**
     * Rules from text (the file format, as the class comment describes it); throws IllegalArgumentException naming
     * the line that does not parse.
     */
    public static ContentRules parse(String text) {
        List<Rule> rules = new ArrayList<>();
        rules.add(Rule.gtube());
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
        return new ContentRules(rules);
    }

    /** The rules that hit this scan, each at most once, in file order (GTUBE first). */
    public List<RuleMatch> match(ContentScan scan) {
        List<RuleMatch> hits = null;
        Texts texts = new Texts(scan);
        for (Rule rule : rules) {
            if (rule.hits(texts)) {
                if (hits == null) {
                    hits = new ArrayList<>(4);
                }
                hits.add(new RuleMatch(rule.name, rule.score));
            }
        }
        return hits == null ? List.of() : List.copyOf(hits);
    }

    /** The rules' names, in order (GTUBE first). */
    public List<String> names() {
        return rules.stream().map(rule -> rule.name).toList();
    }

    public int size() {
        return rules.size();
    }

    @Override
    public String toString() {
        return "ContentRules" + names();
    }

    private static ContentRules parseFile(String text, Path file) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (" + file + ")", e);
        }
    }

    /** The file's text (invalid UTF-8 replaced, not fatal); null if there is no file. */
    private static String read(Path file) throws IOException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static IllegalArgumentException error(int line, String why) {
        return new IllegalArgumentException("content-rules line " + line + ": " + why);
    }

    private static Rule rule(String line, int number, Set<String> names) {
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
        return new Rule(name, Double.parseDouble(score), field, pattern, null);
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

    /** One scan's texts as the rules look at them, {@code Name: value} lines made once if a rule wants them. */
    private static final class Texts {

        final ContentScan scan;
        private List<String> fieldLines;

        Texts(ContentScan scan) {
            this.scan = scan;
        }

        List<String> fieldLines() {
            if (fieldLines == null) {
                fieldLines = scan.headers().stream().map(h -> h.name() + ": " + h.value()).toList();
            }
            return fieldLines;
        }
    }

    private static final class Rule {

        final String name;
        final double score;
        /** null for the body, {@code *} for every field, else a field name. */
        final String field;
        final Pattern pattern;
        /** A literal looked for in the body instead of a pattern (GTUBE). */
        final String literal;
        private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());

        Rule(String name, double score, String field, Pattern pattern, String literal) {
            this.name = name;
            this.score = score;
            this.field = field;
            this.pattern = pattern;
            this.literal = literal;
        }

        static Rule gtube() {
            return new Rule("GTUBE", GTUBE_SCORE, null, null, GTUBE);
        }

        boolean hits(Texts texts) {
            if (literal != null) {
                return texts.scan.text().contains(literal);
            }
            Budget budget = new Budget();
            try {
                if (field == null) {
                    return find(texts.scan.text(), budget);
                }
                if (field.equals("*")) {
                    for (String line : texts.fieldLines()) {
                        if (find(line, budget)) {
                            return true;
                        }
                    }
                    return false;
                }
                for (ContentScan.Header header : texts.scan.headers()) {
                    if (header.name().equalsIgnoreCase(field) && find(header.value(), budget)) {
                        return true;
                    }
                }
                return false;
            } catch (Budget.Exhausted | StackOverflowError e) {
                gaveUp(e instanceof StackOverflowError ? "its regex recursed too deep"
                        : "its regex ran past " + MATCH_BUDGET + " character reads");
                return false;
            }
        }

        private boolean find(String text, Budget budget) {
            return pattern.matcher(new BudgetedText(text, 0, text.length(), budget)).find();
        }

        private void gaveUp(String why) {
            long now = System.nanoTime();
            long next = nextWarning.get();
            if (now - next >= 0 && nextWarning.compareAndSet(next, now + WARN_EVERY_NANOS)) {
                LOG.warn("content rule {} gave up on a message ({}): it did not hit. A regex that backtracks"
                        + " this much on attacker text needs rewriting. (Said at most once a minute.)", name, why);
            }
        }
    }

    /** Character reads left for one rule on one message. */
    private static final class Budget {

        long left = MATCH_BUDGET;

        static final class Exhausted extends RuntimeException {

            Exhausted() {
                super("match budget exhausted", null, false, false);
            }
        }
    }

    /** The text as the regex engine reads it, one {@link #charAt} at a time, counted against the budget. */
    private static final class BudgetedText implements CharSequence {

        private final String text;
        private final int start;
        private final int end;
        private final Budget budget;

        BudgetedText(String text, int start, int end, Budget budget) {
            this.text = text;
            this.start = start;
            this.end = end;
            this.budget = budget;
        }

        @Override
        public char charAt(int index) {
            if (--budget.left < 0) {
                throw new Budget.Exhausted();
            }
            return text.charAt(start + index);
        }

        @Override
        public int length() {
            return end - start;
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            Objects.checkFromToIndex(from, to, length());
            return new BudgetedText(text, start + from, start + to, budget);
        }

        @Override
        public String toString() {
            return text.substring(start, end);
        }
    }

    /**
     * Rules from a file, re-read when its modification time or size changes, looked at no more than once a second
     * (by whichever thread asks for the rules then). A file that no longer parses keeps the rules loaded before
     * and logs {@code content-rules line N: why} at ERROR; a file that is gone means GTUBE only.
     */
    public static final class Watched {

        private static final long CHECK_EVERY_MILLIS = 1000;

        private final Path file;
        private final Clock clock;
        private final ReentrantLock checking = new ReentrantLock();
        private volatile ContentRules rules;
        private volatile long checkedAt;
        private Stamp stamp; // guarded by checking
        private long nextReadErrorLog; // guarded by checking

        Watched(Path file, Clock clock) {
            this.file = file;
            this.clock = clock;
            try {
                Stamp before = Stamp.of(file);
                String text = before == null ? null : read(file);
                this.rules = text == null ? BUILT_IN : parseFile(text, file);
                this.stamp = text == null ? null : before;
            } catch (IOException e) {
                throw new UncheckedIOException("content rules " + file + " could not be read", e);
            }
            this.checkedAt = clock.millis();
            LOG.info("content rules from {}: {}", file, rules.names());
        }

        /** The rules as the file says now (as of at most a second ago). */
        public ContentRules current() {
            long now = clock.millis();
            long last = checkedAt;
            if ((now - last >= CHECK_EVERY_MILLIS || now < last) && checking.tryLock()) {
                try {
                    if (checkedAt == last) {
                        checkedAt = now;
                        reloadIfChanged(now);
                    }
                } finally {
                    checking.unlock();
                }
            }
            return rules;
        }

        public Path file() {
            return file;
        }

        private void reloadIfChanged(long now) {
            try {
                Stamp seen = Stamp.of(file); // before reading: a change while it is read shows next time
                if (Objects.equals(seen, stamp)) {
                    return;
                }
                String text = seen == null ? null : read(file);
                stamp = text == null ? null : seen;
                if (text == null) {
                    rules = BUILT_IN;
                    LOG.warn("content rules: {} is gone, only GTUBE is left", file);
                    return;
                }
                try {
                    rules = parse(text);
                    LOG.info("content rules reloaded from {}: {}", file, rules.names());
                } catch (IllegalArgumentException e) {
                    LOG.error("{} ({}); keeping the rules loaded before", e.getMessage(), file);
                }
            } catch (IOException e) {
                if (now - nextReadErrorLog >= 0) {
                    nextReadErrorLog = now + 60_000;
                    LOG.error("content rules {} could not be read ({}); keeping the rules loaded before", file,
                            e.toString());
                }
            }
        }
    }

    /** What tells a changed file: its modification time and size. */
    private record Stamp(FileTime modified, long size) {

        /** null when there is no file. */
        static Stamp of(Path file) throws IOException {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(attributes.lastModifiedTime(), attributes.size());
            } catch (NoSuchFileException e) {
                return null;
            }
        }
    }
}
