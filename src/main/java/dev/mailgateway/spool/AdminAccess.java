package dev.mailgateway.spool;

import dev.mailgateway.files.OwnerOnly;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * How the queue tools reach a running gateway's embedded broker: {@code <broker dir>/admin.properties} with the
 * loopback URL and the credentials, readable by the gateway's user only (as Postfix's queue directory is), written
 * at start and removed at stop.
 */
public final class AdminAccess {

    public record Access(String url, String username, String password) {
    }

    private static final String FILE = "admin.properties";

    private AdminAccess() {
    }

    /** A password nobody has to remember: the broker is made anew with it at each start. */
    public static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static void write(Path brokerDirectory, String url, String username, String password) throws IOException {
        OwnerOnly.directory(brokerDirectory);
        Path temp = Files.createTempFile(brokerDirectory, ".admin-", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the directory's permissions have to do
            }
            Properties properties = new Properties();
            properties.setProperty("url", url);
            properties.setProperty("username", username);
            properties.setProperty("password", password);
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                properties.store(out, "queue tools' access to the running gateway's broker; rewritten at each start");
            }
            Files.move(temp, brokerDirectory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static void remove(Path brokerDirectory) throws IOException {
        Files.deleteIfExists(brokerDirectory.resolve(FILE));
    }

    /** @throws NoSuchFileException when no gateway with an embedded broker runs on this data directory */
    public static Access read(Path brokerDirectory) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(brokerDirectory.resolve(FILE), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return new Access(properties.getProperty("url"), properties.getProperty("username"),
                properties.getProperty("password"));
    }
}
