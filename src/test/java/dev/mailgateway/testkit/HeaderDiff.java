package dev.mailgateway.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * How the header section changed between what the client sent and what the next hop received: the fields the
 * gateway added and the ones it removed, each as {@code Name: value} (unfolded). A field whose value changed is one
 * removed and one added. Printed, it reads like a diff:
 * <pre>
 * + X-Spam-Status: No, score=0 required=6 tests=SPF_NONE
 * - X-Internal-Route: hop1
 * </pre>
 */
public final class HeaderDiff {

    private final List<String> added;
    private final List<String> removed;

    HeaderDiff(List<String> sent, List<String> received) {
        List<String> onlyReceived = new ArrayList<>(received);
        List<String> onlySent = new ArrayList<>();
        for (String field : sent) {
            if (!onlyReceived.remove(field)) { // one for one: a field sent twice and received once was removed once
                onlySent.add(field);
            }
        }
        this.added = List.copyOf(onlyReceived);
        this.removed = List.copyOf(onlySent);
    }

    /** The fields the next hop got that the client did not send, in the order they arrived. */
    public List<String> added() {
        return added;
    }

    /** The fields the client sent that the next hop did not get. */
    public List<String> removed() {
        return removed;
    }

    /** The names of the added fields, in order (with repeats). */
    public List<String> addedNames() {
        return names(added);
    }

    /** The names of the removed fields, in order (with repeats). */
    public List<String> removedNames() {
        return names(removed);
    }

    private static List<String> names(List<String> fields) {
        return fields.stream().map(f -> f.substring(0, f.indexOf(':'))).toList();
    }

    @Override
    public String toString() {
        StringBuilder diff = new StringBuilder();
        added.forEach(f -> diff.append("+ ").append(f).append('\n'));
        removed.forEach(f -> diff.append("- ").append(f).append('\n'));
        return diff.toString();
    }
}
