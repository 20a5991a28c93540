package dev.mailgateway.filter.content;

import dev.mailgateway.files.WatchedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>This class is the rule set and its matching; the file format is read by {@code RuleParser}, one rule is a
 * {@code ContentRule}, the regex guard is {@code RegexBudget}, and the watched file is a {@link WatchedFile}. Their
 * warnings and errors are logged under this class's name, where operators look for them.
 */
public final class ContentRules {

    /** The Generic Test for Unsolicited Bulk Email: a message whose text has this string hits rule GTUBE. */
    public static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    public static final double GTUBE_SCORE = 1000;

    private static final ContentRules BUILT_IN = new ContentRules(List.of(ContentRule.gtube()));

    private final List<ContentRule> rules;

    private ContentRules(List<ContentRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** GTUBE only: the rules when there is no file. */
    public static ContentRules builtIn() {
        return BUILT_IN;
    }

    /** Rules from a file (absent file: GTUBE only). Throws when the file exists and does not parse. */
    public static ContentRules load(Path file) {
        try {
            String text = WatchedFile.read(file);
            return text == null ? BUILT_IN : WatchedFile.parse(ContentRules::parse, text, file);
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
        return new ContentRules(RuleParser.parse(text));
    }

    /** The rules that hit this scan, each at most once, in file order (GTUBE first). */
    public List<RuleMatch> match(ContentScan scan) {
        List<RuleMatch> hits = null;
        ScanTexts texts = new ScanTexts(scan);
        for (ContentRule rule : rules) {
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

    /**
     * Rules from a file, re-read when its modification time or size changes, looked at no more than once a second
     * (by whichever thread asks for the rules then). A file that no longer parses keeps the rules loaded before
     * and logs {@code content-rules line N: why} at ERROR; a file that is gone means GTUBE only. The watching
     * itself is {@link WatchedFile}'s.
     */
    public static final class Watched {

        /** Logged under ContentRules' name: that is where operators (and the tests) look for what the rules say. */
        private static final WatchedFile.Format<ContentRules> FORMAT = new WatchedFile.Format<>("content rules",
                ContentRules::parse, BUILT_IN, ContentRules::names);

        private final WatchedFile<ContentRules> file;

        Watched(Path file, Clock clock) {
            this.file = new WatchedFile<>(file, clock, LoggerFactory.getLogger(ContentRules.class), FORMAT);
        }

        /** The rules as the file says now (as of at most a second ago). */
        public ContentRules current() {
            return file.current();
        }

        public Path file() {
            return file.path();
        }
    }
}
