package dev.mailgateway.policy.block;

import dev.mailgateway.mail.MailAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Recipients every client may reach, listed or not (RFC 5321 §4.5.1 wants postmaster reachable; abuse@ is where
 * a listed network's operator writes to get delisted): {@code postmaster@*,abuse@*}. A pattern is
 * {@code local@domain} where either side may use {@code *}; matching ignores case and an address extension.
 */
public final class ExemptRecipients {

    private final List<Pattern> patterns;

    private ExemptRecipients(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    public static ExemptRecipients parse(String text) {
        List<Pattern> patterns = new ArrayList<>();
        for (String entry : text == null ? new String[0] : text.trim().split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.indexOf('@') < 0) {
                throw new IllegalArgumentException("exempt recipient is not local@domain: " + entry);
            }
            List<String> literals = new ArrayList<>();
            for (String literal : entry.toLowerCase(Locale.ROOT).split("\\*", -1)) {
                literals.add(Pattern.quote(literal));
            }
            patterns.add(Pattern.compile(String.join(".*", literals)));
        }
        return new ExemptRecipients(List.copyOf(patterns));
    }

    public boolean contains(MailAddress recipient) {
        if (recipient == null || recipient.isNullSender()) {
            return false;
        }
        String local = recipient.localPart().toLowerCase(Locale.ROOT);
        int plus = local.indexOf('+');
        String address = local + "@" + recipient.domainKey();
        String base = plus > 0 ? local.substring(0, plus) + "@" + recipient.domainKey() : address;
        for (Pattern pattern : patterns) {
            if (pattern.matcher(address).matches() || pattern.matcher(base).matches()) {
                return true;
            }
        }
        return false;
    }

    /** True when every one of them is exempt (after DATA: a message only for exempt recipients). */
    public boolean containsAll(List<MailAddress> recipients) {
        return !recipients.isEmpty() && recipients.stream().allMatch(this::contains);
    }
}
