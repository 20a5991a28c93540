package dev.mailgateway.policy.lists;

import java.util.List;
import java.util.Optional;

/**
 * What DNS lists said of a client or a domain: the sum of the weights of the entries that matched, and those
 * entries. A score of 0 also means that no list could answer: lists that fail do not count.
 */
public record ListScore(int score, List<Hit> hits) {

    /** An entry that matched: its list, the answer that matched ({@code 127.0.0.2}), its weight. */
    public record Hit(String list, String answer, int weight) {
    }

    public static final ListScore NONE = new ListScore(0, List.of());

    public ListScore {
        hits = List.copyOf(hits);
    }

    static ListScore of(List<Hit> hits) {
        return new ListScore(hits.stream().mapToInt(Hit::weight).sum(), hits);
    }

    /**
     * The list to name in a refusal: the listing (positive weight) hit with the largest weight, the first of
     * those on a tie; empty when only allowlists (or nothing) matched.
     */
    public Optional<Hit> listing() {
        Hit best = null;
        for (Hit hit : hits) {
            if (hit.weight() > 0 && (best == null || hit.weight() > best.weight())) {
                best = hit;
            }
        }
        return Optional.ofNullable(best);
    }
}
