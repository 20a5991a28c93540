package dev.mailgateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The matching ComposeFileTest relies on to find GATEWAY_* variables that override nothing. */
class GatewayVariablesTest {

    private static final List<String> KEYS = List.of("gateway.data-dir", "gateway.spam.rspamd.url",
            "gateway.relay-recipients", "gateway.relay-recipients.verify");

    @Test
    void dotsBecomeUnderscores() {
        assertThat(GatewayVariables.keyOf("GATEWAY_SPAM_RSPAMD_URL", KEYS)).contains("gateway.spam.rspamd.url");
    }

    @Test
    void dashesBecomeUnderscoresToo() {
        assertThat(GatewayVariables.keyOf("GATEWAY_DATA_DIR", KEYS)).contains("gateway.data-dir");
        assertThat(GatewayVariables.keyOf("GATEWAY_RELAY_RECIPIENTS_VERIFY", KEYS))
                .contains("gateway.relay-recipients.verify");
    }

    @Test
    void aMisspelledVariableMatchesNoKey() {
        assertThat(GatewayVariables.unknown(
                        List.of("GATEWAY_DATA_DIR", "GATEWAY_SPAM_RSPAMD_URI", "GATEWAY_DATADIR", "GATEWAY_RELAY"),
                        KEYS))
                .containsExactly("GATEWAY_SPAM_RSPAMD_URI", "GATEWAY_DATADIR", "GATEWAY_RELAY");
    }

    @Test
    void aLowerCaseVariableMatchesNoKey() {
        // the gateway looks keys up upper-cased only: gateway_data_dir would be ignored
        assertThat(GatewayVariables.keyOf("gateway_data_dir", KEYS)).isEmpty();
    }
}
