package dev.mailgateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.TestGateway;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The few lines that say what runs, for the shipped configuration with a few keys changed. */
class StartupSummaryTest {

    @TempDir
    Path dir;

    @Test
    void saysWhichListenersSpoolRelayChecksAndAdminPortRun() throws Exception {
        try (TestGateway gateway = TestGateway.start(dir, Map.of("gateway.relay.smarthost", "relay.example.test:587",
                "gateway.policy.greylist", "true", "gateway.spam.spamd.address", "127.0.0.1:7830",
                "gateway.submissions.enabled", "false"))) {
            List<String> lines = StartupSummary.lines(gateway.main().getCamelContext());

            assertThat(lines.get(0)).isEqualTo("mail gateway gw.test is running");
            assertThat(lines).anySatisfy(line -> assertThat(line).matches(
                    "  listener mx +\\S+:" + gateway.port("mx") + "  TLS optional, AUTH none"));
            assertThat(lines).anySatisfy(line -> assertThat(line).matches(
                    "  listener submission +\\S+:" + gateway.port("submission") + "  TLS required, AUTH required"));
            assertThat(lines).noneSatisfy(line -> assertThat(line).contains("submissions"));
            assertThat(lines).contains("  spool      embedded ActiveMQ broker in " + dir + "/broker",
                    "  relay      via smarthost relay.example.test:587",
                    "  policy     relay control, rate limits, greylisting",
                    "  filtering  content rules, attachments, spamd 127.0.0.1:7830; SPF, DKIM, DMARC for untrusted"
                            + " clients",
                    "  admin      " + gateway.adminUrl() + "/metrics, /health/live,"
                            + " /health/ready");
        }
    }
}
