package dev.mailgateway.filter.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Not a benchmark: a check that many scans run, and their cost printed for whoever reads the build log. */
class ContentScannerSpeedTest {

    @Test
    void aFourKilobyteMessageScansTwentyThousandTimes() throws IOException {
        byte[] message = fourKilobyteMessage();
        assertThat(message.length).isBetween(3800, 4300);
        ContentRules rules = ContentRules.parse("""
                LOTTERY_SUBJECT  4.5  header:Subject  /you (have )?won .*lottery/i
                CASINO_PHRASE    3    body            "online casino"
                """);
        AttachmentPolicy policy = AttachmentPolicy.defaults();

        for (int i = 0; i < 30_000; i++) { // warm-up: the JIT compiles mime4j's parser in earnest after some 10,000
            ContentScan scan = Mail.SCANNER.scan(new ByteArrayInputStream(message));
            rules.match(scan);
            policy.check(scan);
        }
        int rounds = 20_000;
        long start = System.nanoTime();
        int parts = 0;
        for (int i = 0; i < rounds; i++) {
            parts += Mail.SCANNER.scan(new ByteArrayInputStream(message)).parts().size();
        }
        long scanNanos = System.nanoTime() - start;
        ContentScan scan = Mail.SCANNER.scan(new ByteArrayInputStream(message));
        start = System.nanoTime();
        int hits = 0;
        for (int i = 0; i < rounds; i++) {
            hits += rules.match(scan).size() + policy.check(scan).size();
        }
        long matchNanos = System.nanoTime() - start;

        System.out.printf("ContentScanner: %d-octet message, %.1f µs a scan; rules and attachment policy %.1f µs"
                + " (%d scans)%n", message.length, scanNanos / 1000.0 / rounds, matchNanos / 1000.0 / rounds, rounds);
        assertThat(parts).isEqualTo(3 * rounds);
        assertThat(hits).isEqualTo(rounds);
    }

    static byte[] fourKilobyteMessage() {
        StringBuilder plain = new StringBuilder();
        StringBuilder html = new StringBuilder("<html><body>\n");
        for (int i = 0; plain.length() < 1350; i++) {
            String line = "Line " + i + " of the newsletter: we visited an online casino and other places.";
            plain.append(line).append('\n');
            html.append("<p>").append(line).append("</p>\n");
        }
        html.append("</body></html>\n");
        return Mail.bytes("""
                Return-Path: <news@example.com>
                Received: from mail.example.com (mail.example.com [192.0.2.10])
                	by mx.example.net with ESMTPS id 4Xyz; Tue, 3 Dec 2024 10:00:00 +0000
                Received: from app.example.com (app.example.com [192.0.2.20])
                	by mail.example.com with ESMTP id 4Abc; Tue, 3 Dec 2024 09:59:59 +0000
                DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1;
                	h=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
                	b=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZSBidXQgaXQgaXMgYXMgbG9uZyBhcyBvbmU=
                From: Example News <news@example.com>
                To: reader@example.net
                Subject: =?UTF-8?Q?Our_December_newsletter_=E2=80=93_what=27s_new?=
                Date: Tue, 3 Dec 2024 10:00:00 +0000
                Message-ID: <20241203100000.12345@example.com>
                MIME-Version: 1.0
                Content-Type: multipart/alternative; boundary="=_alt_4711"

                --=_alt_4711
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                """ + plain + """
                --=_alt_4711
                Content-Type: text/html; charset=utf-8
                Content-Transfer-Encoding: 7bit

                """ + html + """
                --=_alt_4711--
                """);
    }
}
