package dev.mailgateway.filter.content;

import static dev.mailgateway.filter.content.Mail.base64;
import static dev.mailgateway.filter.content.Mail.executable;
import static dev.mailgateway.filter.content.Mail.scan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.filter.content.ContentScan.Header;
import dev.mailgateway.filter.content.ContentScan.Part;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ContentScannerTest {

    @Test
    void aPlainMessageHasOnePartTheTopLevelHeadersDecodedInOrderAndItsText() {
        ContentScan scan = scan("""
                From: Alice <alice@example.com>
                To: bob@example.com
                Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?= and
                 =?ISO-8859-1?Q?caf=E9?=
                Content-Type: text/plain; charset=utf-8

                Hello Bob,
                see you.
                """);

        assertThat(scan.headers()).containsExactly(
                new Header("From", "Alice <alice@example.com>"),
                new Header("To", "bob@example.com"),
                new Header("Subject", "Grüße aus Köln and café"),
                new Header("Content-Type", "text/plain; charset=utf-8"));
        assertThat(scan.parts()).containsExactly(new Part(0, "text/plain", null, false, false));
        assertThat(scan.text()).isEqualTo("Hello Bob,\r\nsee you.\r\n");
        assertThat(scan.limitsHit()).isEmpty();
    }

    @Test
    void withoutContentTypeAPartIsTextPlainAndTypesAreLowerCaseWithoutParameters() {
        ContentScan scan = scan("""
                Subject: no type
                Content-Type: multipart/MIXED; boundary="b1"

                --b1

                untyped part
                --b1
                Content-Type: Application/PDF; name="a.pdf"

                %PDF-1.4
                --b1--
                """);

        assertThat(scan.parts()).extracting(Part::mimeType)
                .containsExactly("multipart/mixed", "text/plain", "application/pdf");
        assertThat(scan.parts().get(0).multipart()).isTrue();
        assertThat(scan.text()).isEqualTo("untyped part");
        assertThat(scan.limitsHit()).as("a part without header fields is no defect").isEmpty();
    }

    @Test
    void textInABase64PartIsDecodedWithItsCharset() {
        ContentScan scan = scan("""
                Content-Type: text/plain; charset=iso-8859-1
                Content-Transfer-Encoding: base64

                """ + base64("Gr\u00fc\u00dfe, M\u00fcller".getBytes(StandardCharsets.ISO_8859_1)));

        assertThat(scan.text()).isEqualTo("Grüße, Müller");
    }

    @Test
    void textInAQuotedPrintablePartIsDecodedSoftLineBreaksJoined() {
        ContentScan scan = scan("""
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                Caf=C3=A9 au lait, tr=C3=A8s long li=
                ne joined.
                """);

        assertThat(scan.text()).isEqualTo("Café au lait, très long line joined.\r\n");
        assertThat(scan.limitsHit()).isEmpty();
    }

    @Test
    void plainAndHtmlPartsAreKeptOneLineBreakApartHtmlAsItIs() {
        ContentScan scan = scan("""
                Content-Type: multipart/alternative; boundary=alt

                --alt
                Content-Type: text/plain

                plain words
                --alt
                Content-Type: text/html; charset="utf-8"
                Content-Transfer-Encoding: quoted-printable

                <p>html <b>words</b> =E2=82=AC</p>
                --alt--
                """);

        assertThat(scan.text()).isEqualTo("plain words\n<p>html <b>words</b> €</p>");
        assertThat(scan.parts()).extracting(Part::mimeType)
                .containsExactly("multipart/alternative", "text/plain", "text/html");
    }

    @Test
    void anUnknownOrInvalidCharsetDecodesAsUtf8WithoutFailing() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain; charset=x-no-such-charset

                caf\u00e9
                --b
                Content-Type: text/plain; charset="bad name!"

                ok
                --b--
                """);

        assertThat(scan.text()).isEqualTo("café\nok");
        assertThat(scan.limitsHit()).isEmpty();
    }

    @Test
    void textBeyondTheBoundIsNotKept() {
        ContentScanner scanner = new ContentScanner(new ContentLimits(1000, 100_000, 1000, 30, 10));
        ContentScan scan = scan(scanner, """
                Content-Type: multipart/mixed; boundary=b

                --b

                0123456
                --b

                abcdefg
                --b--
                """);

        assertThat(scan.text()).isEqualTo("0123456\nab");
    }

    @Test
    void attachedTextFilesCountAsTextAndOtherTypesDoNot() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain; name=notes.txt
                Content-Disposition: attachment; filename=notes.txt

                notes
                --b
                Content-Type: text/csv

                a,b
                --b
                Content-Type: application/octet-stream

                binary words
                --b--
                """);

        assertThat(scan.text()).isEqualTo("notes");
        assertThat(scan.parts().get(1).fileName()).isEqualTo("notes.txt");
    }

    @Test
    void aMessageInsideAMultipartIsDescendedIntoAndOnlyTheTopLevelHeadersAreKept() {
        ContentScan scan = scan("""
                From: outer@example.com
                Subject: outer
                Content-Type: multipart/mixed; boundary="outer"

                --outer
                Content-Type: text/plain

                see attached
                --outer
                Content-Type: message/rfc822

                From: inner@example.com
                Subject: inner
                Content-Type: multipart/mixed; boundary="inner"

                --inner
                Content-Type: text/plain

                inner text
                --inner
                Content-Type: application/octet-stream
                Content-Disposition: attachment; filename*=UTF-8''invoice%20final.exe
                Content-Transfer-Encoding: base64

                """ + base64(executable()) + """
                --inner--

                --outer--
                """);

        assertThat(scan.parts()).containsExactly(
                new Part(0, "multipart/mixed", null, true, false),
                new Part(1, "text/plain", null, false, false),
                new Part(1, "message/rfc822", null, true, false),
                new Part(2, "multipart/mixed", null, true, false),
                new Part(3, "text/plain", null, false, false),
                new Part(3, "application/octet-stream", "invoice final.exe", false, true));
        assertThat(scan.headers()).extracting(Header::value).contains("outer").doesNotContain("inner");
        assertThat(scan.text()).isEqualTo("see attached\ninner text");
        assertThat(scan.limitsHit()).isEmpty();
    }

    @Test
    void aBase64EncodedMessagePartIsDecodedAndDescendedInto() {
        String inner = """
                Subject: inside
                Content-Type: application/x-msdownload; name="tool.exe"

                MZ
                """;
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: message/rfc822
                Content-Transfer-Encoding: base64

                """ + base64(Mail.bytes(inner)) + """
                --b--
                """);

        assertThat(scan.parts()).extracting(Part::mimeType)
                .containsExactly("multipart/mixed", "message/rfc822", "application/x-msdownload");
        assertThat(scan.parts().get(2)).isEqualTo(new Part(2, "application/x-msdownload", "tool.exe", false, true));
    }

    @Test
    void fileNamesAreTakenFromDispositionFirstThenFromTheTypesName() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: application/pdf; name="from-type.pdf"
                Content-Disposition: attachment; filename="from-disposition.pdf"

                x
                --b
                Content-Type: application/pdf; name="only-type.pdf"

                x
                --b
                Content-Type: application/pdf
                Content-Disposition: inline
                Content-Disposition: attachment; filename=second-field.pdf

                x
                --b--
                """);

        assertThat(scan.parts()).extracting(Part::fileName)
                .containsExactly(null, "from-disposition.pdf", "only-type.pdf", "second-field.pdf");
    }

    @Test
    void rfc2231FileNamesAreDecodedWithTheirCharsetAndContinuationsInNumberOrder() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Disposition: attachment; filename*=utf-8''%E2%82%AC.exe

                x
                --b
                Content-Disposition: attachment;
                 filename*0*=UTF-8''%E2%82;
                 filename*1*=%AC%20rate;
                 filename*2=" final.exe"

                x
                --b
                Content-Disposition: attachment; filename*1="l.exe"; filename*0="fina"

                x
                --b
                Content-Type: application/octet-stream; name*=iso-8859-1'de'M%FCller+Sohn.pdf

                x
                --b
                Content-Disposition: attachment; filename*=no-such-charset''a%2Eexe

                x
                --b
                Content-Disposition: attachment; filename="plain.pdf"; filename*=UTF-8''extended.exe

                x
                --b--
                """);

        assertThat(scan.parts()).extracting(Part::fileName).containsExactly(
                null, "€.exe", "€ rate final.exe", "final.exe", "Müller+Sohn.pdf", "a.exe", "extended.exe");
    }

    @Test
    void rfc2047EncodedFileNamesAreDecodedAsMailersSendThem() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: application/octet-stream; name="=?UTF-8?B?aW52b2ljZSBmaW5hbC5leGU=?="

                x
                --b
                Content-Disposition: attachment; filename="=?iso-8859-1?Q?R=E9sum=E9.pdf?="

                x
                --b
                Content-Disposition: attachment; filename="Gr\u00fc\u00dfe.pdf"

                x
                --b--
                """);

        assertThat(scan.parts()).extracting(Part::fileName)
                .containsExactly(null, "invoice final.exe", "Résumé.pdf", "Grüße.pdf");
    }

    @Test
    void anMzStartInANonTextPartIsAnExecutableWhateverTheNameSays() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: application/pdf; name="invoice.pdf"
                Content-Transfer-Encoding: base64

                """ + base64(executable()) + """
                --b
                Content-Type: application/pdf; name="real.pdf"
                Content-Transfer-Encoding: base64

                """ + base64("%PDF-1.7 MZ") + """
                --b--
                """);

        assertThat(scan.parts()).extracting(Part::executable).containsExactly(false, true, false);
    }

    @Test
    void aTextBodyBeginningWithMzCountsOnlyWhenItHasAName() {
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain

                MZ Bank statement for March
                --b
                Content-Type: text/plain; name="statement.txt"

                MZ disguised
                --b--
                """);

        assertThat(scan.parts()).extracting(Part::executable).containsExactly(false, false, true);
        assertThat(scan.text()).startsWith("MZ Bank statement");
    }

    @Test
    void aPlainTextMessageBeginningWithMzIsNoExecutable() {
        ContentScan scan = scan("""
                Subject: hello

                MZ Bank: your statement
                """);

        assertThat(scan.parts()).containsExactly(new Part(0, "text/plain", null, false, false));
    }

    @Test
    void aMultipartDigestsUntypedPartsAreMessages() {
        ContentScan scan = scan("""
                Content-Type: multipart/digest; boundary=d

                --d

                Subject: digested
                Content-Type: application/x-msdownload; name=x.exe

                MZ
                --d--
                """);

        assertThat(scan.parts()).containsExactly(
                new Part(0, "multipart/digest", null, true, false),
                new Part(1, "message/rfc822", null, true, false),
                new Part(2, "application/x-msdownload", "x.exe", false, true));
    }

    @Test
    void oneScannerServesManyThreadsAtOnce() throws Exception {
        byte[] plain = Mail.bytes("Subject: plain\n\n" + "plain text line\n".repeat(500));
        byte[] mixed = Mail.bytes("""
                Subject: mixed
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/html; charset=iso-8859-1
                Content-Transfer-Encoding: quoted-printable

                <p>caf=E9</p>
                --b
                Content-Type: application/octet-stream; name="x.exe"
                Content-Transfer-Encoding: base64

                """ + base64(executable()) + "--b--\n");
        ContentScan plainScan = scan(Mail.SCANNER, plain);
        ContentScan mixedScan = scan(Mail.SCANNER, mixed);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        assertThat(scan(Mail.SCANNER, plain)).isEqualTo(plainScan);
                        assertThat(scan(Mail.SCANNER, mixed)).isEqualTo(mixedScan);
                    }
                    return 500;
                }));
            }
            for (Future<Integer> each : done) {
                assertThat(each.get(60, TimeUnit.SECONDS)).isEqualTo(500);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(mixedScan.text()).isEqualTo("<p>café</p>");
    }

    @Test
    void anEmptyMessageIsOneEmptyTextPart() {
        ContentScan scan = scan("");

        assertThat(scan.parts()).containsExactly(new Part(0, "text/plain", null, false, false));
        assertThat(scan.text()).isEmpty();
        assertThat(scan.limitsHit()).isEmpty();
    }
}
