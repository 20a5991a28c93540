package dev.mailgateway.filter;

import java.util.Locale;

/** What is done with a message after its content was scanned, weakest first. */
enum Verdict {
    PASS, TAG, QUARANTINE, TEMPFAIL, REJECT;

    String headerValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Verdict of(String value) {
        return value == null ? null : valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
}
