package dev.mailgateway.auth;

import dev.mailgateway.policy.LookupFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users who may authenticate: a file of {@code user:hash} lines (the format of {@code htpasswd -B}), added to
 * with {@code java -jar mail-gateway.jar add-user NAME}. Checking a password takes a deliberate ~0.2 s of CPU
 * (the hash's cost): call it off the network threads.
 */
public final class UserStore {

    private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);
    /** Checked for unknown users too, so the time taken does not tell whether a user exists. */
    private static final String DECOY = PasswordHash.bcrypt("decoy password for unknown users");

    private final LookupFile<Map<String, String>> file;

    public UserStore(Path file) {
        this.file = new LookupFile<>(file, UserStore::read, Map.of());
    }

    public LookupFile<?> file() {
        return file;
    }

    public boolean isEmpty() {
        return file.current().isEmpty();
    }

    public boolean authenticate(String user, String password) {
        String hash = file.current().get(user);
        boolean ok = PasswordHash.verify(hash != null ? hash : DECOY, password);
        return ok && hash != null;
    }

    private static Map<String, String> read(List<String> lines) {
        Map<String, String> users = new HashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            String hash = colon < 0 ? "" : line.substring(colon + 1).strip();
            if (colon <= 0 || !PasswordHash.isKnownFormat(hash)) {
                LOG.warn("users file: ignoring a line that is not user:bcrypt-or-pbkdf2-hash (user {})",
                        colon <= 0 ? "?" : line.substring(0, colon));
                continue;
            }
            users.put(line.substring(0, colon).strip(), hash);
        }
        return Map.copyOf(users);
    }
}
