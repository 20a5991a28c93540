package dev.mailgateway.filter.content;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The limits hit and defects found in one scan ({@link ContentScan#limitsHit()}): each once, in the order found,
 * whichever part of the scan finds it.
 */
final class Findings {

    private final Set<String> found = new LinkedHashSet<>(4);

    void add(String finding) {
        found.add(finding);
    }

    List<String> list() {
        return List.copyOf(found);
    }
}
