package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.mailgateway.testing.Archive;
import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory holds mail (the broker's store, spilled and archived messages) and the TLS key: only the
 * gateway's user may read it, whatever the umask (022 here makes new files 0644).
 */
class DataDirectoryPermissionsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeThat(dir.getFileSystem().supportedFileAttributeViews()).contains("posix");
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** The directory below the broker's whose name is given (the scheduler's sits under the broker's name). */
    private static Path find(Path root, String name) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> p.getFileName().toString().equals(name)).findFirst().orElseThrow();
        }
    }

    private TestGateway start(Path data, Path archive) throws Exception {
        return TestGateway.start(data, Map.of("gateway.archive.enabled", "true",
                "gateway.archive.dir", archive.toString(), "gateway.relay.enabled", "false",
                "gateway.submission.enabled", "false", "gateway.submissions.enabled", "false"));
    }

    @Test
    void theDataBrokerStoreSpillTlsAndArchiveDirectoriesAreOwnerOnlyAndFilesInThemBecome0600() throws Exception {
        Path data = dir.resolve("data");
        Path archive = dir.resolve("archive-elsewhere");
        // a data directory from before, open to everyone who can list it, with a file in it
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path leftover = Files.writeString(data.resolve("leftover.eml"), "Subject: x\r\n\r\nold mail\r\n");
        Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-r--r--"));

        try (TestGateway gateway = start(data, archive); SmtpClient client = SmtpClient.ehlo(gateway.port())) {
            String id = Archive.queueId(
                    client.sendMessage("s@src.test", "Subject: t\r\n\r\nnew mail\r\n", "r@dest.test"));
            Path day = Archive.await(archive, id).getParent();

            Path broker = data.resolve("broker");
            for (Path directory : List.of(data, broker, broker.resolve("kahadb"), find(broker, "scheduler"),
                    data.resolve("tmp"), data.resolve("tmp").resolve("mx"), data.resolve("tls"), archive,
                    day.getParent().getParent(), day.getParent(), day)) {
                assertThat(permissions(directory)).as(directory.toString()).isEqualTo("rwx------");
            }
            assertThat(permissions(leftover)).isEqualTo("rw-------");
            assertThat(permissions(broker.resolve("admin.properties"))).isEqualTo("rw-------");
        }

        // the store's files from the first start (KahaDB made them under the umask) are 0600 after the next
        try (TestGateway gateway = start(data, archive)) {
            Path broker = data.resolve("broker");
            Path kahaDb = broker.resolve("kahadb");
            for (Path file : List.of(kahaDb.resolve("db-1.log"), kahaDb.resolve("db.data"),
                    find(broker, "scheduler").resolve("scheduleDB.data"))) {
                assertThat(permissions(file)).as(file.toString()).isEqualTo("rw-------");
            }
        }
    }
}
