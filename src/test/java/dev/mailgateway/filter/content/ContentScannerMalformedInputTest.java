package dev.mailgateway.filter.content;

import static dev.mailgateway.filter.content.ContentScan.MIME_BAD_ENCODING;
import static dev.mailgateway.filter.content.ContentScan.MIME_LINE_TOO_LONG;
import static dev.mailgateway.filter.content.ContentScan.MIME_MALFORMED;
import static dev.mailgateway.filter.content.ContentScan.MIME_TOO_DEEP;
import static dev.mailgateway.filter.content.ContentScan.MIME_TOO_MANY_HEADERS;
import static dev.mailgateway.filter.content.ContentScan.MIME_TOO_MANY_PARTS;
import static dev.mailgateway.filter.content.Mail.base64;
import static dev.mailgateway.filter.content.Mail.executable;
import static dev.mailgateway.filter.content.Mail.scan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailgateway.filter.content.ContentScan.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Whatever the message, a scan ends with a defined result: limits and defects are findings, never exceptions. */
class ContentScannerMalformedInputTest {

    @Test
    void aMultipartWithoutBoundaryIsReadAsTextListedAsDeclaredAndMalformed() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed

                --x
                Content-Type: application/x-msdownload

                MZ
                --x--
                """);

        assertThat(scan.parts()).containsExactly(new Part(0, "multipart/mixed", null, false, false));
        assertThat(scan.text()).contains("application/x-msdownload");
        assertThat(scan.limitsHit()).containsExactly(MIME_MALFORMED);
    }

    @Test
    void anUnterminatedMultipartKeepsItsPartsAndIsMalformed() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain

                first
                --b
                Content-Type: application/octet-stream; name="late.exe"
                Content-Transfer-Encoding: base64

                """ + base64(executable()));

        assertThat(scan.parts()).extracting(Part::fileName).containsExactly(null, null, "late.exe");
        assertThat(scan.parts().get(2).executable()).isTrue();
        assertThat(scan.text()).isEqualTo("first");
        assertThat(scan.limitsHit()).containsExactly(MIME_MALFORMED);
    }

    @Test
    void garbageHeaderLinesAreMalformedAndTheRestIsStillRead() {
        ContentScan scan = scan("""
                Subject: fine
                this line is no header field
                \u0001\u0002 :: ===
                Content-Type: text/plain

                body text
                """);

        assertThat(scan.headers()).extracting(ContentScan.Header::name).contains("Subject", "Content-Type");
        assertThat(scan.text()).isEqualTo("body text\r\n");
        assertThat(scan.limitsHit()).containsExactly(MIME_MALFORMED);
    }

    @Test
    void aBodyPartWithoutHeaderSectionIsMalformedNotAFailure() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Hello without a header,
                just text.
                --b--
                """);

        assertThat(scan.parts()).hasSize(2);
        assertThat(scan.limitsHit()).containsExactly(MIME_MALFORMED);
    }

    @Test
    void randomOctetsScanWithoutException() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[random.nextInt(5000)];
            random.nextBytes(junk);
            if (i % 2 == 0) { // give half of them a multipart header to chew on
                byte[] head = Mail.bytes("Content-Type: multipart/mixed; boundary=\"\u0001\"\n\n--\u0001\n");
                byte[] both = new byte[head.length + junk.length];
                System.arraycopy(head, 0, both, 0, head.length);
                System.arraycopy(junk, 0, both, head.length, junk.length);
                junk = both;
            }
            ContentScan scan = Mail.SCANNER.scan(new java.io.ByteArrayInputStream(junk));
            assertThat(scan.parts()).isNotNull();
        }
    }

    @Test
    void tenThousandPartsStopAtTheBoundQuickly() {
        StringBuilder message = new StringBuilder("Content-Type: multipart/mixed; boundary=b\n\n");
        for (int i = 0; i < 10_000; i++) {
            message.append("--b\nContent-Type: text/plain\n\npart ").append(i).append('\n');
        }
        message.append("--b--\n");

        long start = System.nanoTime();
        ContentScan scan = scan(message.toString());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(scan.limitsHit()).containsExactly(MIME_TOO_MANY_PARTS);
        assertThat(scan.parts()).hasSize(ContentLimits.DEFAULT.maxParts());
        assertThat(millis).isLessThan(2000);
    }

    @Test
    void hundredLevelsOfNestingStopDescendingAtTheBoundAndTheRestIsStillScanned() {
        StringBuilder message = new StringBuilder("Content-Type: multipart/mixed; boundary=b0\n\n");
        for (int level = 1; level < 100; level++) {
            message.append("--b").append(level - 1).append('\n')
                    .append("Content-Type: multipart/mixed; boundary=b").append(level).append("\n\n");
        }
        message.append("--b99\nContent-Type: application/x-msdownload; name=deep.exe\n\nMZ\n");
        for (int level = 99; level >= 1; level--) {
            message.append("--b").append(level).append("--\n");
        }
        message.append("--b0\nContent-Type: application/octet-stream; name=\"after.exe\"\n\nMZ\n--b0--\n");

        ContentScan scan = scan(message.toString());

        assertThat(scan.limitsHit()).containsExactly(MIME_TOO_DEEP);
        int maxDepth = ContentLimits.DEFAULT.maxDepth();
        assertThat(scan.parts()).extracting(Part::depth).containsExactlyElementsOf(
                IntStream.concat(IntStream.rangeClosed(0, maxDepth), IntStream.of(1)).boxed().toList());
        assertThat(scan.parts()).filteredOn(part -> part.depth() == maxDepth).singleElement()
                .isEqualTo(new Part(maxDepth, "multipart/mixed", null, true, false));
        assertThat(scan.parts()).last().isEqualTo(new Part(1, "application/octet-stream", "after.exe", false, true));
        assertThat(scan.parts()).extracting(Part::fileName).doesNotContain("deep.exe");
    }

    @Test
    void nestedMessagesCountTowardsDepthToo() {
        String message = "Subject: leaf\n\nleaf text\n";
        for (int i = 0; i < 40; i++) {
            message = "Content-Type: message/rfc822\n\n" + message;
        }

        ContentScan scan = scan(message);

        assertThat(scan.limitsHit()).containsExactly(MIME_TOO_DEEP);
        assertThat(scan.parts()).hasSize(ContentLimits.DEFAULT.maxDepth() + 1);
        assertThat(scan.text()).isEmpty();
    }

    @Test
    void invalidBase64IsABadEncodingAndTheRestIsStillScanned() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain
                Content-Transfer-Encoding: base64

                SGVsbG8g!!d29y*bGQ=
                --b
                Content-Type: application/octet-stream; name="tool.exe"

                MZ
                --b--
                """);

        assertThat(scan.limitsHit()).containsExactly(MIME_BAD_ENCODING);
        assertThat(scan.text()).isEqualTo("Hello world");
        assertThat(scan.parts()).extracting(Part::fileName).containsExactly(null, null, "tool.exe");
        assertThat(scan.parts().get(2).executable()).isTrue();
    }

    @Test
    void base64CutShortIsABadEncoding() {
        ContentScan scan = scan("""
                Content-Type: application/pdf
                Content-Transfer-Encoding: base64

                JVBERi0xLjcK
                JVBER
                """);

        assertThat(scan.limitsHit()).containsExactly(MIME_BAD_ENCODING);
    }

    @Test
    void invalidQuotedPrintableIsABadEncodingAndTheRestIsStillScanned() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                caf=C3=A9 =ZZ broken =4
                --b
                Content-Type: text/plain

                second part
                --b--
                """);

        assertThat(scan.limitsHit()).containsExactly(MIME_BAD_ENCODING);
        assertThat(scan.text()).startsWith("café =ZZ broken").endsWith("\nsecond part");
    }

    @Test
    void quotedPrintableWithBareLineFeedsOrTrailingBlanksIsNoFinding() {
        ContentScan scan = Mail.scan(Mail.SCANNER, ("Content-Type: text/plain\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "line one   \r\nline two\nline=20three\r\n").getBytes(StandardCharsets.US_ASCII));

        assertThat(scan.limitsHit()).isEmpty();
        assertThat(scan.text()).contains("line two").contains("line three");
    }

    @Test
    void aTwoMegabyteHeaderLineIsTooLong() {
        ContentScan scan = scan("Subject: ok\nFrom: a@example.com\nX-Long: " + "x".repeat(2 * 1024 * 1024)
                + "\nTo: a@example.com\n\nbody\n");

        assertThat(scan.limitsHit()).containsExactly(MIME_LINE_TOO_LONG);
        // a field is complete when the next line shows it is not folded: the field before the long line is not
        assertThat(scan.headers()).extracting(ContentScan.Header::name).containsExactly("Subject");
    }

    @Test
    void theLineBoundCountsOctetsWithoutTheLineBreak() {
        ContentScanner scanner = new ContentScanner(new ContentLimits(1000, 100, 1000, 30, 1000));
        String hundred = "Subject: " + "x".repeat(91);

        assertThat(scan(scanner, hundred + "\n\nbody\n").limitsHit()).isEmpty();
        assertThat(scan(scanner, hundred + "x\n\nbody\n").limitsHit()).containsExactly(MIME_LINE_TOO_LONG);
    }

    @Test
    void aHeaderFieldFoldedPastTheLineBoundIsTooLong() {
        ContentScan scan = scan("Subject: ok\nX-Folded: " + " x\n".repeat(50_000) + "\nbody\n");

        assertThat(scan.limitsHit()).containsExactly(MIME_LINE_TOO_LONG);
    }

    @Test
    void tooManyHeaderFieldsStopTheScan() {
        ContentScan scan = scan("X-Filler: 1\n".repeat(1500) + "Subject: late\n\nbody\n");

        assertThat(scan.limitsHit()).containsExactly(MIME_TOO_MANY_HEADERS);
        assertThat(scan.headers()).hasSize(ContentLimits.DEFAULT.maxHeaderFields());
    }

    @Test
    void topLevelFieldsBeyondAMegabyteAreNotKeptAndTheScanGoesOn() {
        ContentScan scan = scan("Subject: first\n" + ("X-Big: " + "y".repeat(90_000) + "\n").repeat(20)
                + "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nstill read\n--b--\n");

        assertThat(scan.limitsHit()).containsExactly(MIME_TOO_MANY_HEADERS);
        assertThat(scan.headers()).hasSize(12).first().isEqualTo(new ContentScan.Header("Subject", "first"));
        assertThat(scan.parts()).extracting(Part::mimeType).containsExactly("multipart/mixed", "text/plain");
        assertThat(scan.text()).isEqualTo("still read");
    }

    @Test
    void tooManyHeaderFieldsInAPartStopTheScanWithWhatWasFoundKept() {
        ContentScan scan = scan("Subject: top\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n--b\n"
                + "X-Filler: 1\n".repeat(1500) + "\nsecond\n--b--\n");

        assertThat(scan.limitsHit()).containsExactly(MIME_TOO_MANY_HEADERS);
        assertThat(scan.text()).isEqualTo("first");
        assertThat(scan.headers()).hasSize(2);
    }

    @Test
    void eachFindingIsListedOnce() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Transfer-Encoding: base64

                !!!!
                --b
                Content-Transfer-Encoding: base64

                ****
                --b
                Content-Type: multipart/alternative

                x
                --b
                Content-Type: multipart/alternative

                y
                --b--
                """);

        assertThat(scan.limitsHit()).containsExactly(MIME_BAD_ENCODING, MIME_MALFORMED);
    }

    @Test
    void anIoFailureOfTheStreamItselfIsThrown() {
        InputStream failing = new InputStream() {
            private int read;

            @Override
            public int read() throws IOException {
                if (read++ > 100) {
                    throw new IOException("disk gone");
                }
                return 'a';
            }
        };

        assertThatThrownBy(() -> Mail.SCANNER.scan(failing)).isInstanceOf(IOException.class).hasMessage("disk gone");
    }

    @Test
    void anUncheckedFailureOfTheStreamIsThrownUnchangedNotTakenForMalformedMime() {
        InputStream failing = new InputStream() {
            @Override
            public int read() {
                throw new IllegalStateException("stream closed by its owner");
            }
        };

        assertThatThrownBy(() -> Mail.SCANNER.scan(failing)).isInstanceOf(IllegalStateException.class)
                .hasMessage("stream closed by its owner");
    }
}
