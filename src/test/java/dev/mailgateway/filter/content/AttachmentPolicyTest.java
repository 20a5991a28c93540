package dev.mailgateway.filter.content;

import static dev.mailgateway.filter.content.Mail.base64;
import static dev.mailgateway.filter.content.Mail.executable;
import static dev.mailgateway.filter.content.Mail.scan;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AttachmentPolicyTest {

    private static final AttachmentPolicy POLICY = AttachmentPolicy.defaults();

    private static List<BlockedAttachment> check(String message) {
        return POLICY.check(scan(message));
    }

    @Test
    void anExeNamedByRfc2231InsideAMessageInsideAMultipartIsFound() {
        assertThat(check("""
                Content-Type: multipart/mixed; boundary="outer"

                --outer
                Content-Type: text/plain

                forwarded
                --outer
                Content-Type: message/rfc822

                Subject: inner
                Content-Type: multipart/mixed; boundary="inner"

                --inner
                Content-Type: application/octet-stream
                Content-Disposition: attachment; filename*=UTF-8''invoice%20final.exe
                Content-Transfer-Encoding: base64

                """ + base64("not really an executable") + """
                --inner--

                --outer--
                """)).containsExactly(new BlockedAttachment("invoice final.exe", "ATTACHMENT_EXTENSION exe"));
    }

    @Test
    void anExtensionSplitOverRfc2231ContinuationsIsFound() {
        assertThat(check("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: application/octet-stream
                Content-Disposition: attachment; filename*0="Rechnung 2024";
                  filename*1*=%2E; filename*2="sc"; filename*3="r"

                x
                --b--
                """)).containsExactly(new BlockedAttachment("Rechnung 2024.scr", "ATTACHMENT_EXTENSION scr"));
    }

    @Test
    void anRfc2047EncodedNameIsFound() {
        assertThat(check("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: application/octet-stream; name="=?UTF-8?B?c2NyaXB0LnZicw==?="

                x
                --b--
                """)).containsExactly(new BlockedAttachment("script.vbs", "ATTACHMENT_EXTENSION vbs"));
    }

    @Test
    void anMzBodyNamedLikeAPdfIsAnExecutable() {
        assertThat(check("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: application/pdf
                Content-Disposition: attachment; filename="invoice.pdf"
                Content-Transfer-Encoding: base64

                """ + base64(executable()) + """
                --b--
                """)).containsExactly(new BlockedAttachment("invoice.pdf", "ATTACHMENT_EXECUTABLE"));
    }

    @Test
    void aBlockedTypeIsFoundAndNamedByItsTypeWhenItHasNoName() {
        assertThat(check("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: Application/X-MSDownload

                not MZ
                --b
                Content-Type: application/hta; name="update.txt"

                <script>
                --b--
                """)).containsExactly(
                        new BlockedAttachment("application/x-msdownload", "ATTACHMENT_TYPE application/x-msdownload"),
                        new BlockedAttachment("update.txt", "ATTACHMENT_TYPE application/hta"));
    }

    @Test
    void caseAndTrailingDotsAndBlanksDoNotHideAnExtension() {
        assertThat(check("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Disposition: attachment; filename="report.EXE."

                x
                --b
                Content-Disposition: attachment; filename="run.Bat . . "

                x
                --b--
                """)).containsExactly(new BlockedAttachment("report.EXE.", "ATTACHMENT_EXTENSION exe"),
                        new BlockedAttachment("run.Bat . . ", "ATTACHMENT_EXTENSION bat"));
    }

    @Test
    void theExtensionIsTheLastOneOnly() {
        assertThat(check("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Disposition: attachment; filename="setup.exe.pdf"

                %PDF
                --b
                Content-Disposition: attachment; filename="invoice.pdf.js"

                x
                --b--
                """)).containsExactly(new BlockedAttachment("invoice.pdf.js", "ATTACHMENT_EXTENSION js"));
    }

    @Test
    void anArchiveIsNotBlockedByDefaultAndNotOpened() {
        assertThat(check("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: application/zip
                Content-Disposition: attachment; filename="photos.zip"
                Content-Transfer-Encoding: base64

                """ + base64("PK\u0003\u0004 invoice.exe") + """
                --b--
                """)).isEmpty();
    }

    @Test
    void aPlainMessageAndAMessageWithAPdfPass() {
        assertThat(check("From: a@example.com\nSubject: hi\n\nhello\n")).isEmpty();
        assertThat(check("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain

                see the report
                --b
                Content-Type: application/pdf; name="report.pdf"
                Content-Disposition: attachment; filename="report.pdf"
                Content-Transfer-Encoding: base64

                """ + base64("%PDF-1.7\n1 0 obj") + """
                --b--
                """)).isEmpty();
    }

    @Test
    void aTextBodyBeginningWithMzWithoutANamePasses() {
        assertThat(check("Subject: statement\n\nMZ Bank: your statement is ready\n")).isEmpty();
        assertThat(check("""
                Content-Type: multipart/alternative; boundary=b

                --b
                Content-Type: text/plain

                MZ Bank
                --b
                Content-Type: text/html

                MZ<b>Bank</b>
                --b--
                """)).isEmpty();
    }

    @Test
    void anExtensionlessOrDotOnlyNameHasNoExtension() {
        assertThat(AttachmentPolicy.extension("README")).isNull();
        assertThat(AttachmentPolicy.extension("...")).isNull();
        assertThat(AttachmentPolicy.extension(".exe")).isEqualTo("exe");
        assertThat(AttachmentPolicy.extension("a.b.C ")).isEqualTo("c");
    }

    @Test
    void aSitesOwnListsWithDotsAndCapitalsBlockWhatTheyName() {
        AttachmentPolicy policy = new AttachmentPolicy(List.of(".ZIP", " docm "), List.of("Application/Zip; x=y"));
        ContentScan scan = scan("""
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Disposition: attachment; filename="a.zip"

                x
                --b
                Content-Type: application/zip

                x
                --b
                Content-Disposition: attachment; filename="macro.DOCM"

                x
                --b
                Content-Disposition: attachment; filename="tool.exe"

                x
                --b--
                """);

        assertThat(policy.check(scan)).containsExactly(
                new BlockedAttachment("a.zip", "ATTACHMENT_EXTENSION zip"),
                new BlockedAttachment("application/zip", "ATTACHMENT_TYPE application/zip"),
                new BlockedAttachment("macro.DOCM", "ATTACHMENT_EXTENSION docm"));
    }

    @Test
    void theDefaultsHoldWhatTheyPromise() {
        assertThat(AttachmentPolicy.DEFAULT_EXTENSIONS).contains("exe", "scr", "com", "pif", "bat", "cmd", "js",
                "jse", "vbs", "vbe", "wsf", "wsh", "hta", "msi", "msp", "lnk", "iso", "img", "vhd", "vhdx", "cpl",
                "jar", "ps1", "reg").doesNotContain("zip", "rar", "7z", "doc", "docx", "docm", "xls", "xlsm", "pdf");
        assertThat(AttachmentPolicy.DEFAULT_TYPES).contains("application/x-msdownload",
                "application/x-msdos-program", "application/x-msi", "application/x-ms-installer", "application/hta",
                "application/x-ms-shortcut", "application/x-dosexec");
    }
}
