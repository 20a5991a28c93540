package dev.mailgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailgateway.testing.GeneratedMessage;
import dev.mailgateway.testing.ChildGateway;
import dev.mailgateway.testing.SmtpClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is taken for bytes that arrived, not for bytes promised: 300 sessions that declared SIZE=26214400 and went
 * quiet after 354, from six addresses (50 each, the per-client limit), against the packaged gateway with a 256 MB
 * heap. A normal client's 2 MB message still gets its 250, the heap after a full collection holds little, and the
 * log has no OutOfMemoryError and no ERROR. (Before, each parked session reserved the whole spill threshold, 1 MiB,
 * and the heap ran out after about 200 of them, silently.)
 */
class ParkedSessionsIT {

    private static final int ADDRESSES = 6;
    private static final int PER_ADDRESS = 50;
    private static final Pattern FULL_GC = Pattern.compile("Pause Full \\(.*\\) (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @TempDir
    Path dataDir;

    @Test
    void threeHundredSessionsParkedAtDataLeaveRoomForARealMessage() throws Exception {
        int port = ChildGateway.freePort();
        Path log = dataDir.resolve("gateway.log");
        Path gcLog = dataDir.resolve("gc.log");
        ProcessBuilder builder = ChildGateway.builder(port, dataDir, log, "-Xmx256m", "-Xlog:gc:file=" + gcLog);
        builder.environment().put("GATEWAY_RELAY_ENABLED", "false");
        // loopback is an ordinary client here, held to the per-client limit, sending to a domain we take mail for
        builder.environment().put("GATEWAY_TRUSTED_NETWORKS", "192.0.2.0/24");
        builder.environment().put("GATEWAY_RELAY_DOMAINS", "dest.test");
        Path recipients = dataDir.resolve("relay-recipients");
        java.nio.file.Files.writeString(recipients, "@dest.test\n");
        builder.environment().put("GATEWAY_RELAY_RECIPIENTS", recipients.toString());
        // the parked sessions must still be there when the real message comes, however slow this machine is
        builder.environment().put("GATEWAY_SMTP_IDLE_TIMEOUT", "10m");
        Process gateway = builder.start();
        List<SmtpClient> parked = new ArrayList<>();
        try {
            ChildGateway.awaitGreeting(port, "220 ");
            // one thread, and no thread waits on a parked socket: each is left open once it has its 354
            for (int a = 0; a < ADDRESSES; a++) {
                InetAddress from = InetAddress.getByName("127.0.0." + (2 + a));
                for (int i = 0; i < PER_ADDRESS; i++) {
                    parked.add(park(from, port));
                }
            }

            try (SmtpClient client = SmtpClient.ehlo(port)) {
                client.startData("a@src.test", "b@dest.test");
                client.stream(out -> new GeneratedMessage(7, 2L * 1024 * 1024).writeTo(out, true));
                client.sendRaw(".\r\n");
                client.expect("250 2.0.0 Ok: queued as ");
            }

            long liveMegabytes = liveHeapAfterFullGc(gateway, gcLog);
            System.out.printf("%d sessions parked at DATA with SIZE=26214400: %d MB of heap live after a full GC"
                    + " (-Xmx256m)%n", parked.size(), liveMegabytes);
            assertThat(liveMegabytes).as("MB live after a full GC").isLessThan(128);
            assertThat(gateway.isAlive()).isTrue();
            String text = Files.readString(log);
            assertThat(text).doesNotContain("OutOfMemoryError").doesNotContain(" ERROR ");
            assertThat(text).as("no parked session was cut before the end").doesNotContain("timeout after");
        } catch (Exception | AssertionError e) {
            List<String> lines = Files.readAllLines(log);
            System.err.println(parked.size() + " sessions parked; gateway log, last lines:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
            throw e;
        } finally {
            for (SmtpClient client : parked) {
                client.close();
            }
            gateway.destroy();
            if (!gateway.waitFor(2, TimeUnit.MINUTES)) {
                gateway.destroyForcibly();
            }
        }
    }

    /** A session that promises 25 MiB and sends nothing after 354; commands pipelined, as PIPELINING allows. */
    private static SmtpClient park(InetAddress from, int port) throws IOException {
        SmtpClient client = new SmtpClient(from, port);
        client.expect("220 ");
        client.sendRaw("EHLO parked.test\r\nMAIL FROM:<x@evil.test> SIZE=26214400\r\nRCPT TO:<victim@dest.test>\r\n"
                + "DATA\r\n");
        client.expect("250 ");
        client.expect("250 ");
        client.expect("250 ");
        client.expect("354 ");
        return client;
    }

    /** Asks the gateway for a full collection (jcmd) and reads what survived it from its GC log. */
    private static long liveHeapAfterFullGc(Process gateway, Path gcLog) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(gateway.pid()), "GC.run").redirectErrorStream(true).start();
        assertThat(jcmd.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(jcmd.exitValue()).as(new String(jcmd.getInputStream().readAllBytes())).isZero();
        return await().atMost(Duration.ofMinutes(1)).until(() -> {
            Matcher full = FULL_GC.matcher(Files.readString(gcLog));
            long after = -1;
            while (full.find()) {
                after = Long.parseLong(full.group(2));
            }
            return after;
        }, live -> live >= 0);
    }
}
