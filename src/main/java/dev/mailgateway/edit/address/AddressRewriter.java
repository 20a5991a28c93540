package dev.mailgateway.edit.address;

import dev.mailgateway.mail.MailAddress;
import dev.mailgateway.mail.Printable;

/**
 * A map applied to one message's addresses as Postfix's cleanup applies canonical maps: a result is looked up
 * again, until an address maps onto itself (regardless of case) or no entry applies. A result that is not a valid
 * address (non-ASCII in a message sent without SMTPUTF8 included), and a chain longer than {@value #MAX_ROUNDS}
 * (a loop), leave the address as it was, with a warning naming the map's line (at most one a minute per line:
 * the addresses are the sender's to choose). Where Postfix would defer the message, the gateway delivers it to the
 * address it was given: a broken map line is the operator's to fix, not the sender's to retry.
 */
public final class AddressRewriter {

    /** Postfix's limit too (cleanup_map11.c). */
    static final int MAX_ROUNDS = 10;
    /** Longer addresses are left alone: RFC 5321 allows 256 octets for a path, and no regex runs on more. */
    static final int MAX_LENGTH = 320;

    private final AddressMap map;
    private final String name;
    private final boolean utf8;
    private final String queueId;

    /**
     * @param name    the map's name in log lines ({@code sender map})
     * @param utf8    whether the message may carry non-ASCII addresses (its client said SMTPUTF8)
     * @param queueId the message's queue id, for the log
     */
    public AddressRewriter(AddressMap map, String name, boolean utf8, String queueId) {
        this.map = map;
        this.name = name;
        this.utf8 = utf8;
        this.queueId = queueId;
    }

    /** The address this one becomes; null when it stays as it is (the null sender, "", always does). */
    public String rewrite(String address) {
        if (map.isEmpty() || address == null || address.isEmpty() || address.length() > MAX_LENGTH) {
            return null;
        }
        MailAddress original;
        try {
            original = MailAddress.parse(address, true);
        } catch (IllegalArgumentException e) {
            return null; // not a mailbox (a header's odd address): nothing to look up
        }
        MailAddress current = original;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            AddressMap.Found found = map.find(current);
            if (found == null) {
                return changed(original, current);
            }
            MailAddress next = valid(found.replacement());
            if (next == null) {
                map.warnings().warn("line " + found.line(), "{}: {} line {} makes \"{}\" of {}: not a valid"
                        + " address{}; it stays as it was", queueId, name, found.line(),
                        Printable.escape(found.replacement()), Printable.escape(address),
                        utf8 ? "" : " without SMTPUTF8");
                return null;
            }
            boolean toItself = AddressMap.key(next).equals(AddressMap.key(current));
            current = next;
            if (toItself) {
                return changed(original, current);
            }
        }
        map.warnings().warn("loop", "{}: {} rewrites {} more than {} times in a row (a loop?); it stays as it was",
                queueId, name, Printable.escape(address), MAX_ROUNDS);
        return null;
    }

    private MailAddress valid(String replacement) {
        if (replacement.length() > MAX_LENGTH) {
            return null;
        }
        try {
            return MailAddress.parse(replacement, utf8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String changed(MailAddress original, MailAddress now) {
        String text = now.toString();
        return text.equals(original.toString()) ? null : text;
    }
}
