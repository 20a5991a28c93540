package dev.mailgateway.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where the spool forwards a message, by the embedded broker's own selectors evaluated without a broker (what
 * explain reports): one delivery lane or the quarantine, then the archive and copies when marked.
 */
class SpoolForwardingTest {

    @Test
    void laneArchiveAndCopiesFollowTheSpoolProperties() {
        assertThat(EmbeddedBroker.forwardedTo(Map.of())).containsExactly(Queues.RELAY);
        assertThat(EmbeddedBroker.forwardedTo(Map.of(SpoolEnvelope.LARGE, true, SpoolEnvelope.ARCHIVE, true)))
                .containsExactly(Queues.RELAY_LARGE, Queues.ARCHIVE);
        assertThat(EmbeddedBroker.forwardedTo(Map.of(SpoolEnvelope.COPIES, "jms:queue:erp.invoices",
                SpoolEnvelope.LARGE, false))).containsExactly(Queues.RELAY, Queues.COPIES);
    }

    @Test
    void quarantinedMailIsArchivedButNeitherDeliveredNorCopied() {
        assertThat(EmbeddedBroker.forwardedTo(Map.of(SpoolEnvelope.QUARANTINE, true, SpoolEnvelope.LARGE, true,
                SpoolEnvelope.ARCHIVE, true, SpoolEnvelope.COPIES, "jms:queue:erp.invoices")))
                .containsExactly(Queues.QUARANTINE, Queues.ARCHIVE);
    }

    @Test
    void valuesJmsCannotCarryAreLeftOut() {
        assertThat(EmbeddedBroker.forwardedTo(Map.of("SmtpdRecipients", List.of("a@b.test"), "not-a-name", true)))
                .containsExactly(Queues.RELAY);
    }
}
