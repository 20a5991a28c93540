package dev.mailgateway.mailauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticationResultsTest {

    private static String rewrite(String header, String body, List<String> results) throws Exception {
        byte[] rewritten = AuthenticationResults.rewrite(header.getBytes(StandardCharsets.UTF_8),
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "gw.test", results);
        return new String(rewritten, StandardCharsets.UTF_8);
    }

    @Test
    void ourFieldGoesOnTopOneMethodResultALine() throws Exception {
        assertThat(rewrite("Received: from x\r\nSubject: hi\r\n\r\n", "body\r\n",
                List.of("spf=pass smtp.mailfrom=example.test", "dkim=none")))
                .isEqualTo("Authentication-Results: gw.test;\r\n\tspf=pass smtp.mailfrom=example.test;\r\n"
                        + "\tdkim=none\r\nReceived: from x\r\nSubject: hi\r\n\r\nbody\r\n");
    }

    @Test
    void nothingFoundIsNone() {
        assertThat(AuthenticationResults.field("gw.test", List.of())).isEqualTo("Authentication-Results: gw.test; none\r\n");
    }

    @Test
    void fieldsClaimingOurAuthservIdAreRemovedWithTheirFoldedLinesAndOthersStay() throws Exception {
        String header = "Received: from x\r\n"
                + "Authentication-Results: GW.TEST;\r\n\tdkim=pass header.d=bank.test\r\n"
                + "Authentication-Results: (forged) gw.test; spf=pass\r\n"
                + "Authentication-Results: mx.other.test; spf=fail\r\n"
                + "Authentication-Results: gw.test.evil; spf=pass\r\n"
                + "Subject: hi\r\n\r\n";
        assertThat(rewrite(header, "body\r\n", List.of("spf=none smtp.mailfrom=x.test")))
                .isEqualTo("Authentication-Results: gw.test;\r\n\tspf=none smtp.mailfrom=x.test\r\n"
                        + "Received: from x\r\n"
                        + "Authentication-Results: mx.other.test; spf=fail\r\n"
                        + "Authentication-Results: gw.test.evil; spf=pass\r\n"
                        + "Subject: hi\r\n\r\nbody\r\n");
        assertThat(AuthenticationResults.anyClaims(header.getBytes(StandardCharsets.UTF_8), "gw.test")).isTrue();
        assertThat(AuthenticationResults.anyClaims("Subject: x\r\n\r\n".getBytes(StandardCharsets.UTF_8), "gw.test"))
                .isFalse();
    }

    @Test
    void withoutResultsOnlyTheClaimingFieldsGo() throws Exception {
        assertThat(rewrite("Authentication-Results: gw.test; spf=pass\r\nSubject: hi\r\n\r\n", "b\r\n", null))
                .isEqualTo("Subject: hi\r\n\r\nb\r\n");
    }

    @Test
    void valuesThatAreNotTokensAreQuotedAndCommentsEscaped() {
        assertThat(AuthenticationResults.value("user@example.test")).isEqualTo("user@example.test");
        assertThat(AuthenticationResults.value("a b\"c")).isEqualTo("\"a b\\\"c\"");
        assertThat(AuthenticationResults.comment("no (key)\r\n")).isEqualTo("(no \\(key\\)  )");
    }
}
