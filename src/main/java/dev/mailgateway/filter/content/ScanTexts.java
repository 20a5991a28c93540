package dev.mailgateway.filter.content;

import java.util.List;

/**
 * One scan's texts as the content rules look at them, the {@code Name: value} lines for {@code header:*} made
 * once, and only if a rule wants them.
 */
final class ScanTexts {

    final ContentScan scan;
    private List<String> fieldLines;

    ScanTexts(ContentScan scan) {
        this.scan = scan;
    }

    List<String> fieldLines() {
        if (fieldLines == null) {
            fieldLines = scan.headers().stream().map(h -> h.name() + ": " + h.value()).toList();
        }
        return fieldLines;
    }
}
