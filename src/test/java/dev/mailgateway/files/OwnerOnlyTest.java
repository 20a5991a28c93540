package dev.mailgateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {

    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeThat(dir.getFileSystem().supportedFileAttributeViews()).contains("posix");
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static Path withPermissions(Path path, String permissions) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        return path;
    }

    @Test
    void missingParentsAreCreatedOwnerOnlyAndExistingParentsAreLeftAlone() throws IOException {
        // as /tmp is (less its sticky bit, which Java's permission sets do not carry)
        Path shared = withPermissions(Files.createDirectory(dir.resolve("shared")), "rwxrwxrwx");

        OwnerOnly.directory(shared.resolve("smtpd").resolve("mx"));

        assertThat(permissions(shared)).isEqualTo("rwxrwxrwx");
        assertThat(permissions(shared.resolve("smtpd"))).isEqualTo("rwx------");
        assertThat(permissions(shared.resolve("smtpd").resolve("mx"))).isEqualTo("rwx------");
    }

    @Test
    void treeTightensDirectoriesAndFilesDownToItsDepthAndNeverFollowsLinks() throws IOException {
        Path data = withPermissions(Files.createDirectory(dir.resolve("data")), "rwxr-xr-x");
        Path top = withPermissions(Files.writeString(data.resolve("top"), "x"), "rw-r--r--");
        Path sub = withPermissions(Files.createDirectory(data.resolve("sub")), "rwxr-xr-x");
        Path deep = withPermissions(Files.writeString(sub.resolve("deep"), "x"), "rw-r--r--");
        Path outside = withPermissions(Files.writeString(dir.resolve("outside"), "x"), "rw-r--r--");
        Files.createSymbolicLink(data.resolve("link"), outside);

        OwnerOnly.tree(data, 1);

        assertThat(permissions(data)).isEqualTo("rwx------");
        assertThat(permissions(top)).isEqualTo("rw-------");
        assertThat(permissions(sub)).isEqualTo("rwx------");
        assertThat(permissions(deep)).as("below the depth").isEqualTo("rw-r--r--");
        assertThat(permissions(outside)).as("a link's target").isEqualTo("rw-r--r--");

        OwnerOnly.tree(data, Integer.MAX_VALUE);

        assertThat(permissions(deep)).isEqualTo("rw-------");
        assertThat(permissions(outside)).isEqualTo("rw-r--r--");
    }
}
