package dev.mailgateway.filter.content;

import java.nio.file.Path;
import java.util.List;

/**
 * The operator's content rules ({@code config/content-rules}) plus the built-in GTUBE rule (score 1000, as
 * SpamAssassin gives it). Reloaded when the file changes (checked at most once a second); a file that does not
 * parse keeps the rules loaded before and logs the file, line and why. File format: see {@link #parse}.
 */
public final class ContentRules {

    /** Rules from a file (absent file: GTUBE only). Throws when the file exists and does not parse. */
    public static ContentRules load(Path file) {
        throw new UnsupportedOperationException("to be written");
    }

    /** Rules from text (the file format); throws IllegalArgumentException naming the line that does not parse. */
    public static ContentRules parse(String text) {
        throw new UnsupportedOperationException("to be written");
    }

    /** The rules that hit this scan, each at most once, in file order (GTUBE first). */
    public List<RuleMatch> match(ContentScan scan) {
        throw new UnsupportedOperationException("to be written");
    }
}
