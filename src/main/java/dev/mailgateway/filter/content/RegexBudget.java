package dev.mailgateway.filter.content;

/**
 * Character reads left for one rule on one message. The regexes run on text an attacker writes, and one that
 * backtracks catastrophically reaches {@link #MATCH_BUDGET} reads in a fraction of a second: then
 * {@link BudgetedText} throws {@link Exhausted} out of the regex engine, and the rule does not hit.
 */
final class RegexBudget {

    /** Character reads one rule may make on one message. */
    static final long MATCH_BUDGET = 20_000_000;

    long left = MATCH_BUDGET;

    /** The budget ran out (no stack trace: it is thrown from deep in the regex engine, and caught right above). */
    static final class Exhausted extends RuntimeException {

        Exhausted() {
            super("match budget exhausted", null, false, false);
        }
    }
}
