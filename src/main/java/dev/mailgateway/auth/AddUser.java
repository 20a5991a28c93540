package dev.mailgateway.auth;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar target/mail-gateway.jar add-user NAME [FILE]}: adds a user to the users file (default
 * {@code config/users}), or changes its password. The password is asked for on the terminal without echo, or read
 * as one line from standard input when there is no terminal (for scripts). Stored as a bcrypt hash; the running
 * gateway picks the change up within seconds.
 */
public final class AddUser {

    private AddUser() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2 || args[0].isBlank() || args[0].contains(":")) {
            System.err.println("usage: java -jar target/mail-gateway.jar add-user NAME [FILE]   (default FILE: config/users)");
            System.exit(2);
        }
        String user = args[0];
        Path file = Path.of(args.length == 2 ? args[1] : "config/users");
        String password = readPassword(user);
        if (password == null || password.isEmpty()) {
            System.err.println("no password given; nothing changed");
            System.exit(1);
        }
        write(file, user, PasswordHash.bcrypt(password));
        System.out.println("user " + user + " set in " + file);
    }

    private static String readPassword(String user) throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("password for %s: ", user);
            char[] again = console.readPassword("again: ");
            if (first == null || again == null || !new String(first).equals(new String(again))) {
                System.err.println("the passwords differ; nothing changed");
                System.exit(1);
            }
            return new String(first);
        }
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }

    /** Replaces the user's line or appends one; written to a temporary file and moved, readable by us only. */
    static void write(Path file, String user, String hash) throws IOException {
        List<String> lines = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.startsWith(user + ":")) {
                    lines.add(line);
                }
            }
        } else {
            lines.add("# Users who may authenticate (SMTP AUTH): user:bcrypt-hash. Add with: "
                    + "java -jar target/mail-gateway.jar add-user NAME");
        }
        lines.add(user + ":" + hash);
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, ".users-", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.write(temp, lines, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
