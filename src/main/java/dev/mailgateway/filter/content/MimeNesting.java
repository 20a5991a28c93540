package dev.mailgateway.filter.content;

import java.util.ArrayDeque;
import java.util.Locale;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;

/**
 * Where a scan is in the MIME tree, held to {@link ContentLimits#maxParts()} and {@link ContentLimits#maxDepth()}:
 * entity number {@code maxParts + 1} stops the scan, and a container at the depth bound is read through unopened
 * (the parser switched to flat for its content, and back after it).
 */
final class MimeNesting {

    private final ContentLimits limits;
    private final Findings findings;
    private MimeStreamParser parser;

    /** Depth of the entity being read: -1 before the top level starts. */
    private int depth = -1;
    private int entities;
    /** Types of the enclosing multiparts, innermost first (a part's default type depends on multipart/digest). */
    private final ArrayDeque<String> multiparts = new ArrayDeque<>();
    private boolean flat;

    MimeNesting(ContentLimits limits, Findings findings) {
        this.limits = limits;
        this.findings = findings;
    }

    /** The parser to switch to flat and back. */
    void readBy(MimeStreamParser parser) {
        this.parser = parser;
    }

    int depth() {
        return depth;
    }

    /** Whether the innermost enclosing multipart is a multipart/digest. */
    boolean inDigest() {
        return "multipart/digest".equals(multiparts.peek());
    }

    /** An entity starts; a {@link ScanHandler.Stop} when it is one too many. */
    void enter() {
        depth++;
        entities++;
        if (entities > limits.maxParts()) {
            findings.add(ContentScan.MIME_TOO_MANY_PARTS);
            throw new ScanHandler.Stop();
        }
        if (depth > limits.maxDepth()) { // not expected: headerEnds keeps containers at the bound from opening
            findings.add(ContentScan.MIME_TOO_DEEP);
            throw new ScanHandler.Stop();
        }
    }

    void leave() {
        depth--;
    }

    void startMultipart(BodyDescriptor bd) {
        multiparts.push(bd.getMimeType() == null ? "" : bd.getMimeType().toLowerCase(Locale.ROOT));
    }

    void endMultipart() {
        multiparts.pop();
    }

    /** An entity's header has ended: a container whose contents would be too deep is not opened. */
    void headerEnds(boolean container) {
        if (container && depth + 1 > limits.maxDepth()) {
            findings.add(ContentScan.MIME_TOO_DEEP);
            flat = true;
            parser.setFlat(); // this entity's content comes as one body, read through unopened
        }
    }

    /** An entity's body starts. */
    void bodyStarts() {
        if (flat) {
            flat = false;
            parser.setRecurse(); // for the entities after this one
        }
    }
}
