package dev.mailgateway.mailauth.spf;

import dev.mailgateway.mailauth.spf.SpfResult.Result;
import java.util.List;

/**
 * One domain's SPF record, parsed whole ({@link RecordParser}) before any of it is evaluated.
 *
 * @param directives  the mechanisms with their qualifiers, in record order
 * @param redirect    redirect='s domain-spec, or null
 * @param explanation exp='s domain-spec, or null
 */
record SpfRecord(List<Directive> directives, MacroString redirect, MacroString explanation) {

    SpfRecord {
        directives = List.copyOf(directives);
    }

    /** A mechanism and the result it gives when it matches. */
    record Directive(Result qualifier, Mechanism mechanism) {
    }

    /** §6.1: redirect= is ignored when the record has an "all" (which always matches before it would be used). */
    boolean hasAll() {
        return directives.stream().anyMatch(d -> d.mechanism() instanceof Mechanism.All);
    }
}
