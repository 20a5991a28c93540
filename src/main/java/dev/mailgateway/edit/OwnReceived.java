package dev.mailgateway.edit;

import java.util.regex.Pattern;

/**
 * Our listener's Received field (as smtpd writes it on top of every message), recognised by the queue id it
 * names:
 * <pre>
 * Received: from client.example ([192.0.2.1])
 *         (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)
 *         by gw.example with ESMTPSA id 0QUEUEID
 *         for &lt;rcpt@example.org&gt;; Fri, 4 Dec 2026 10:00:00 +0000
 * </pre>
 * Without the client it reads {@code Received: by gw.example with ESMTPSA id 0QUEUEID for <rcpt>; date}: the
 * clause Postfix users get by rewriting the line of their submission service, for the privacy of the people who
 * submit (their home address, their machine's name, their TLS software).
 */
final class OwnReceived {

    /** Where the "by" clause starts: on a line of its own in our field, or first once the client is gone. */
    private static final String BY_LINE = "\r\n\tby ";

    private OwnReceived() {
    }

    /** Whether the raw value (after "Received:") is the field our listener wrote for this queue id. */
    static boolean isOurs(String rawValue, String queueId) {
        return Pattern.compile("(?:^ |\r\n\t)by [^\\s;]+ with [^\\s;]+ id " + Pattern.quote(queueId)
                + "(?:;|\r\n\tfor <)").matcher(rawValue).find();
    }

    /** The raw value from "by" on: host, protocol, queue id, "for" when it names one recipient, the date. */
    static String withoutClient(String rawValue) {
        int by = rawValue.indexOf(BY_LINE);
        return by < 0 ? rawValue : " " + rawValue.substring(by + "\r\n\t".length());
    }
}
