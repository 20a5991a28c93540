package dev.mailgateway.filter.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.mailgateway.filter.content.ContentScan.Part;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A message larger than anything a scan keeps, read from disk as the spool hands it over. */
class ContentScannerLargeMessageTest {

    private static final long DATA_OCTETS = 20L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void anExeAfterTwentyMegabytesOfBase64IsFoundReadingThroughASmallBuffer() throws IOException {
        Path file = dir.resolve("large.eml");
        long size = write(file);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        ContentScan scan;
        try (InputStream in = Files.newInputStream(file)) {
            scan = Mail.SCANNER.scan(in);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        Files.delete(file);
        System.out.printf("ContentScanner: %d MB message from a file in %d ms, %d KB allocated%n",
                size / (1024 * 1024), millis, allocated / 1024);

        assertThat(scan.parts()).containsExactly(
                new Part(0, "multipart/mixed", null, true, false),
                new Part(1, "text/plain", null, false, false),
                new Part(1, "application/octet-stream", "data.bin", false, false),
                new Part(1, "application/octet-stream", "payload.exe", false, true));
        assertThat(scan.text()).isEqualTo("Please find the data attached.");
        assertThat(scan.limitsHit()).isEmpty();
        assertThat(allocated).as("allocated while scanning, far below the message's size").isLessThan(size / 10);
    }

    /** The message, written as it is generated (never whole in memory). */
    private static long write(Path file) throws IOException {
        Base64.Encoder base64 = Base64.getEncoder();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(Mail.bytes("""
                    From: sender@example.com
                    To: rcpt@example.com
                    Subject: large data
                    MIME-Version: 1.0
                    Content-Type: multipart/mixed; boundary="large-boundary"

                    --large-boundary
                    Content-Type: text/plain; charset=us-ascii

                    Please find the data attached.
                    --large-boundary
                    Content-Type: application/octet-stream; name="data.bin"
                    Content-Disposition: attachment; filename="data.bin"
                    Content-Transfer-Encoding: base64

                    """));
            byte[] chunk = new byte[57]; // 76 base64 characters a line
            long seed = 12345;
            for (long written = 0; written < DATA_OCTETS; written += 76 + 2) {
                for (int i = 0; i < chunk.length; i++) {
                    seed = seed * 6364136223846793005L + 1442695040888963407L;
                    chunk[i] = (byte) (seed >>> 56);
                }
                chunk[0] = 'P'; // never MZ, wherever a part might be thought to start
                out.write(base64.encode(chunk));
                out.write('\r');
                out.write('\n');
            }
            out.write(Mail.bytes("""
                    --large-boundary
                    Content-Type: application/octet-stream; name="payload.exe"
                    Content-Disposition: attachment; filename="payload.exe"
                    Content-Transfer-Encoding: base64

                    """));
            out.write(Mail.base64(Mail.executable()).getBytes(StandardCharsets.US_ASCII));
            out.write(Mail.bytes("--large-boundary--\n"));
        }
        return Files.size(file);
    }
}
