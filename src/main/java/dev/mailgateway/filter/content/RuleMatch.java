package dev.mailgateway.filter.content;

/** A rule that hit: its name (e.g. {@code GTUBE}, {@code LOTTERY_SUBJECT}) and score. */
public record RuleMatch(String name, double score) {
}
