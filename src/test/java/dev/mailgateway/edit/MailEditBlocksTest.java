package dev.mailgateway.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.smtpd.SmtpdConstants;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.converter.stream.FileInputStreamCache;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blocks as route steps in a plain Camel context, on exchanges shaped as the listener makes them: what the
 * tests through SMTP cannot reach (options refused at start, messages that cannot be edited, spilled messages).
 */
class MailEditBlocksTest {

    private static final String QUEUE_ID = "0MZ4G7Q8R1T2V3W4X5Y";
    /** Our listener's field, as smtpd/internal/ReceivedHeader writes it for a submission over TLS. */
    private static final String OURS = "Received: from laptop.home.example ([198.51.100.23])\r\n"
            + "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n"
            + "\tby gw.test with ESMTPSA id " + QUEUE_ID + "\r\n"
            + "\tfor <user@dest.test>; Fri, 4 Dec 2026 10:00:00 +0000\r\n";
    private static final String INTERNAL = "Received: from desk.corp.example (desk.corp.example [10.1.2.3])\r\n"
            + "\tby relay.corp.example with ESMTP id 4abc; Fri, 4 Dec 2026 09:59:59 +0000\r\n"
            + "X-Originating-IP: [10.1.2.3]\r\n"
            + "Received: from [10.9.9.9] by app.corp.example; Fri, 4 Dec 2026 09:59:58 +0000\r\n";
    private static final String REST = "From: Alice <alice@corp.example>\r\nTo: user@dest.test\r\nSubject: report\r\n"
            + "\r\nReceived: a body line that looks like a field stays\r\n";

    @TempDir
    Path dir;
    private CamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
    }

    private CamelContext start(String... uris) throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < uris.length; i++) {
                    // the message as the next step sees it: a spilled one's file is gone once the exchange is done
                    from("direct:" + i).to(uris[i]).process(e -> {
                        e.setProperty("bodyType", e.getMessage().getBody().getClass());
                        e.setProperty("text", read(e));
                    });
                }
            }
        });
        camel.start();
        return camel;
    }

    private Exchange send(int route, Object body, Map<String, Object> headers) {
        return camel.createProducerTemplate().send("direct:" + route, e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeaders(new HashMap<>(headers));
        });
    }

    private static String text(Exchange exchange) {
        return exchange.getProperty("text", String.class);
    }

    private static String read(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void badOptionsStopTheRouteAtStartWithTheReason() {
        assertThatThrownBy(() -> start("mail-edit:header?add=X Bad: 1")).rootCause()
                .hasMessageStartingWith("mail-edit:header add=X Bad: 1: X Bad: not a field name");
        assertThatThrownBy(() -> start("mail-edit:header?remove=X-A,Received")).rootCause()
                .hasMessageContaining("'Received' would remove received");
        assertThatThrownBy(() -> start("mail-edit:header")).rootCause()
                .hasMessageStartingWith("mail-edit:header needs add, set or remove");
        assertThatThrownBy(() -> start("mail-edit:subject-tag")).rootCause()
                .hasMessage("mail-edit:subject-tag tag=: the subject tag is empty");
        assertThatThrownBy(() -> start("mail-edit:strip-headers")).rootCause()
                .hasMessage("mail-edit has no block strip-headers: header, subject-tag, strip-received, address-map,"
                        + " dkim-sign");
    }

    @Test
    void optionsInTheUriMayHoldSpacesGlobsAndNonAsciiText() throws Exception {
        start("mail-edit:header?remove=X-Internal-*&set=X-Gateway: gw 1&add=X-Note: Grüße aus Köln");
        Exchange out = send(0, bytes("X-Internal-A: 1\r\nX-Gateway: 0\r\n" + REST), Map.of());
        assertThat(text(out)).isEqualTo("X-Note: =?UTF-8?B?R3LDvMOfZQ==?= aus =?UTF-8?B?S8O2bG4=?=\r\n"
                + "X-Gateway: gw 1\r\n" + REST);
        assertThat(out.getMessage().getHeader(SmtpdConstants.SIZE, Long.class)).isEqualTo(bytes(text(out)).length);
    }

    @Test
    void stripReceivedKeepsOurFieldWithoutTheClientAndDropsTheHopsBeforeUs() throws Exception {
        start("mail-edit:strip-received", "mail-edit:strip-received?hideClient=false");
        Map<String, Object> envelope = Map.of(SmtpdConstants.QUEUE_ID, QUEUE_ID);
        String hidden = "Received: by gw.test with ESMTPSA id " + QUEUE_ID + "\r\n"
                + "\tfor <user@dest.test>; Fri, 4 Dec 2026 10:00:00 +0000\r\n";
        Exchange out = send(0, bytes("X-Spam-Score: 0\r\n" + OURS + INTERNAL + REST), envelope);
        assertThat(text(out)).isEqualTo("X-Spam-Score: 0\r\n" + hidden + REST);
        Exchange again = send(0, bytes(text(out)), envelope);
        assertThat(text(again)).as("a second pass changes nothing").isEqualTo(text(out));
        assertThat(again.getMessage().getHeader(MailEditConstants.SKIPPED)).isNull();
        assertThat(text(send(1, bytes(OURS + INTERNAL + REST), envelope))).isEqualTo(OURS + REST);
    }

    @Test
    void stripReceivedWithoutRecipientNamesByHostProtocolIdAndDate() throws Exception {
        start("mail-edit:strip-received");
        String ours = "Received: from by ([IPv6:2001:db8::1])\r\n\tby gw.test with ESMTPSA id " + QUEUE_ID
                + ";\r\n\tFri, 4 Dec 2026 10:00:00 +0000\r\n";
        assertThat(text(send(0, bytes(ours + REST), Map.of(SmtpdConstants.QUEUE_ID, QUEUE_ID))))
                .isEqualTo("Received: by gw.test with ESMTPSA id " + QUEUE_ID + ";\r\n\tFri, 4 Dec 2026 10:00:00"
                        + " +0000\r\n" + REST);
    }

    @Test
    void stripReceivedLeavesAMessageWithoutOurFieldAsItWasAndSaysWhy() throws Exception {
        start("mail-edit:strip-received");
        String message = INTERNAL + REST;
        Exchange other = send(0, bytes(message), Map.of(SmtpdConstants.QUEUE_ID, QUEUE_ID));
        assertThat(text(other)).isEqualTo(message);
        assertThat(other.getMessage().getHeader(MailEditConstants.SKIPPED, List.class)).containsExactly(
                "strip-received: the first Received field is not ours (queue id " + QUEUE_ID + ")");
        Exchange anonymous = send(0, bytes(OURS + message), Map.of());
        assertThat(text(anonymous)).isEqualTo(OURS + message);
        assertThat(anonymous.getMessage().getHeader(MailEditConstants.SKIPPED, List.class))
                .containsExactly("strip-received: no queue id: not a message from our listener");
    }

    @Test
    void aHeaderSectionWithBareLineEndingsIsLeftAsItWasAndSaysWhy() throws Exception {
        start("mail-edit:header?remove=X-A", "mail-edit:subject-tag?tag=[EXTERNAL]");
        String bareLf = "X-A: 1\nSubject: s\n\nX-A: in the body\n";
        Exchange out = send(0, bytes(bareLf), Map.of());
        assertThat(text(out)).isEqualTo(bareLf);
        Exchange both = send(1, bytes(bareLf), out.getMessage().getHeaders());
        assertThat(text(both)).isEqualTo(bareLf);
        assertThat(both.getMessage().getHeader(MailEditConstants.SKIPPED, List.class)).containsExactly(
                "header: bare CR or LF line endings in the header section",
                "subject-tag: bare CR or LF line endings in the header section");
    }

    @Test
    void aSpilledMessageIsEditedWithoutReadingItsBodyIntoMemory() throws Exception {
        start("mail-edit:subject-tag?tag=[EXTERNAL]");
        String body = "line of a large body\r\n".repeat(100_000);
        Path file = Files.write(dir.resolve("spilled.eml"), bytes("Subject: big\r\nX-A: 1\r\n\r\n" + body));
        Exchange out = send(0, new FileInputStreamCache(file.toFile()), Map.of());
        assertThat(out.getProperty("bodyType")).isEqualTo(FileInputStreamCache.class);
        assertThat(text(out)).isEqualTo("Subject: [EXTERNAL] big\r\nX-A: 1\r\n\r\n" + body);
    }

    @Test
    void subjectTagUsesUtf8AsItIsUnderSmtpUtf8() throws Exception {
        start("mail-edit:subject-tag?tag=[EXTERNÉ]");
        assertThat(text(send(0, bytes(REST), Map.of(SmtpdConstants.SMTPUTF8, true))))
                .isEqualTo(REST.replace("Subject: report", "Subject: [EXTERNÉ] report"));
        assertThat(text(send(0, bytes(REST), Map.of(SmtpdConstants.SMTPUTF8, false))))
                .isEqualTo(REST.replace("Subject: report", "Subject: =?UTF-8?Q?[EXTERN=C3=89]?= report"));
    }
}
