package dev.mailgateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserStoreTest {

    @TempDir
    Path dir;

    @Test
    void addUserWritesAHashAndTheStoreChecksIt() throws Exception {
        Path file = dir.resolve("users");
        AddUser.write(file, "alice", PasswordHash.bcrypt("first"));
        AddUser.write(file, "bob", PasswordHash.bcrypt("builder"));
        AddUser.write(file, "alice", PasswordHash.bcrypt("second")); // a new password replaces the old

        String text = Files.readString(file);
        assertThat(text).doesNotContain("first").doesNotContain("second").doesNotContain("builder");
        assertThat(text.lines().filter(l -> l.startsWith("alice:"))).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        UserStore store = new UserStore(file);
        assertThat(store.authenticate("alice", "second")).isTrue();
        assertThat(store.authenticate("alice", "first")).isFalse();
        assertThat(store.authenticate("bob", "builder")).isTrue();
        assertThat(store.authenticate("carol", "builder")).isFalse();
    }

    @Test
    void linesThatAreNotHashesAreIgnored() throws Exception {
        Path file = dir.resolve("users");
        Files.writeString(file, "# comment\nplain:secret\n\nbroken\nok:" + PasswordHash.bcrypt("pw") + "\n");
        UserStore store = new UserStore(file);
        assertThat(store.authenticate("plain", "secret")).isFalse();
        assertThat(store.authenticate("ok", "pw")).isTrue();
    }

    @Test
    void missingFileMeansNoUsers() {
        UserStore store = new UserStore(dir.resolve("absent"));
        assertThat(store.isEmpty()).isTrue();
        assertThat(store.authenticate("anyone", "anything")).isFalse();
    }
}
