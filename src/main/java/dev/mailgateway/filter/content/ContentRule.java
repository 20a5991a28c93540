package dev.mailgateway.filter.content;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One content rule: where it looks (the body, one header field, or every field), what it looks for (a pattern, or
 * GTUBE's literal) and the score it adds. A regex runs under a {@link RegexBudget}: one that runs out, or recurses
 * past the thread's stack, does not hit, and says so at most once a minute.
 */
final class ContentRule {

    /** Under ContentRules' name: that is where operators (and the tests) look for what the rules say. */
    private static final Logger LOG = LoggerFactory.getLogger(ContentRules.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    final String name;
    final double score;
    /** null for the body, {@code *} for every field, else a field name. */
    final String field;
    final Pattern pattern;
    /** A literal looked for in the body instead of a pattern (GTUBE). */
    final String literal;
    private final AtomicLong nextWarning = new AtomicLong(System.nanoTime());

    ContentRule(String name, double score, String field, Pattern pattern, String literal) {
        this.name = name;
        this.score = score;
        this.field = field;
        this.pattern = pattern;
        this.literal = literal;
    }

    static ContentRule gtube() {
        return new ContentRule("GTUBE", ContentRules.GTUBE_SCORE, null, null, ContentRules.GTUBE);
    }

    boolean hits(ScanTexts texts) {
        if (literal != null) {
            return texts.scan.text().contains(literal);
        }
        RegexBudget budget = new RegexBudget();
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
        } catch (RegexBudget.Exhausted | StackOverflowError e) {
            gaveUp(e instanceof StackOverflowError ? "its regex recursed too deep"
                    : "its regex ran past " + RegexBudget.MATCH_BUDGET + " character reads");
            return false;
        }
    }

    private boolean find(String text, RegexBudget budget) {
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
