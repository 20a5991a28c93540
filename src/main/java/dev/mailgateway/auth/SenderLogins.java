package dev.mailgateway.auth;

import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.policy.LookupFile;
import dev.mailgateway.policy.PolicyCheck;
import dev.mailgateway.policy.PolicyQuery;
import dev.mailgateway.policy.PolicyResult;
import dev.mailgateway.policy.Stage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Which authenticated users may use which sender addresses, as Postfix's smtpd_sender_login_maps: lines of
 * {@code address user[,user...]} or {@code @domain user[,user...]}. An authenticated client whose MAIL FROM is not
 * owned by its user is refused; the null sender and clients that did not authenticate are not checked here.
 */
public final class SenderLogins implements PolicyCheck {

    private final LookupFile<Map<String, Set<String>>> file;

    public SenderLogins(Path file) {
        this.file = new LookupFile<>(file, SenderLogins::read, Map.of());
    }

    public LookupFile<?> file() {
        return file;
    }

    @Override
    public CompletionStage<PolicyResult> check(PolicyQuery query) {
        if (query.stage() != Stage.MAIL || query.authUser() == null || query.sender().isNullSender()) {
            return PolicyResult.passNow();
        }
        Map<String, Set<String>> owners = file.current();
        String address = query.sender().localPart().toLowerCase(Locale.ROOT) + "@" + query.sender().domainKey();
        Set<String> users = owners.getOrDefault(address, owners.get("@" + query.sender().domainKey()));
        if (users != null && users.contains(query.authUser())) {
            return PolicyResult.passNow();
        }
        return PolicyResult.refuseNow(SmtpReply.of(553, "5.7.1", "<" + query.sender()
                + ">: Sender address rejected: not owned by user " + query.authUser()));
    }

    private static Map<String, Set<String>> read(List<String> lines) {
        Map<String, Set<String>> owners = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split("\\s+", 2);
            if (parts.length == 2) {
                owners.put(parts[0].toLowerCase(Locale.ROOT), Set.of(parts[1].split("[,\\s]+")));
            }
        }
        return Map.copyOf(owners);
    }
}
