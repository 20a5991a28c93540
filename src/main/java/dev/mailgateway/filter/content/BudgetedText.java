package dev.mailgateway.filter.content;

import java.util.Objects;

/**
 * The text as the regex engine reads it, one {@link #charAt} at a time, counted against a {@link RegexBudget}: the
 * engine reads every character it tries through here, so the count bounds its backtracking.
 */
final class BudgetedText implements CharSequence {

    private final String text;
    private final int start;
    private final int end;
    private final RegexBudget budget;

    BudgetedText(String text, int start, int end, RegexBudget budget) {
        this.text = text;
        this.start = start;
        this.end = end;
        this.budget = budget;
    }

    @Override
    public char charAt(int index) {
        if (--budget.left < 0) {
            throw new RegexBudget.Exhausted();
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
