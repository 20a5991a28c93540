package dev.mailgateway.filter.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.james.mime4j.dom.field.ContentDispositionField;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.field.LenientFieldParser;
import org.apache.james.mime4j.stream.NameValuePair;
import org.junit.jupiter.api.Test;

class MimeParametersTest {

    /** Parameters as mime4j's RawFieldParser gives them: name, value, name, value... */
    private static String filename(String... namesAndValues) {
        List<NameValuePair> params = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.add(new NameValuePair(namesAndValues[i], namesAndValues[i + 1]));
        }
        return MimeParameters.decoded(params, "filename");
    }

    @Test
    void theExtendedFormWinsOverContinuationsWhichWinOverThePlainForm() {
        assertThat(filename("filename", "plain.pdf", "filename*0", "cont", "filename*1", "inued.pdf",
                "filename*", "utf-8''extended.exe")).isEqualTo("extended.exe");
        assertThat(filename("filename", "plain.pdf", "filename*0", "cont", "filename*1", "inued.exe"))
                .isEqualTo("continued.exe");
        assertThat(filename("FileName", "plain.pdf", "name", "other.exe")).isEqualTo("plain.pdf");
        assertThat(filename("name", "other.exe")).isNull();
    }

    @Test
    void percentDecodingIsLenientAndKeepsPlusSigns() {
        assertThat(filename("filename*", "UTF-8''a+b%2Bc%zz%4.exe")).isEqualTo("a+b+c%zz%4.exe");
        assertThat(filename("filename*", "%E2%82%AC.exe")).as("no charset'lang' prefix: UTF-8").isEqualTo("€.exe");
        assertThat(filename("filename*", "x-unknown'en'%E2%82%AC.exe")).isEqualTo("€.exe");
        assertThat(filename("filename*", "windows-1252''%80.exe")).isEqualTo("€.exe");
        assertThat(filename("filename*", "utf-8''%FF.exe")).isEqualTo("\ufffd.exe");
    }

    @Test
    void continuationsJoinInNumberOrderWithGapsClosedAndOctetsSplitAcrossSegments() {
        assertThat(filename("filename*2", "c.exe", "filename*0*", "utf-8''%E2", "filename*1*", "%82%AC",
                "filename*9", ".scr")).isEqualTo("€c.exe.scr");
        assertThat(filename("filename*0", "100%25", "filename*1*", "%2Eexe")).as("plain segments are as written")
                .isEqualTo("100%25.exe");
        assertThat(filename("filename*0", "a", "filename*0", "b", "filename*1", ".exe")).isEqualTo("a.exe");
        assertThat(filename("filename*x", "a.exe", "filename**", "b.exe", "filename*12345", "c.exe")).isNull();
    }

    @Test
    void encodedWordsAndRawUtf8InPlainValuesAreDecoded() {
        assertThat(filename("filename", "=?UTF-8?Q?R=C3=A9sum=C3=A9?= =?UTF-8?Q?.exe?=")).isEqualTo("Résumé.exe");
        assertThat(filename("filename*0", "=?UTF-8?B?aW52b2", "filename*1", "ljZS5leGU=?="))
                .as("an encoded word split over continuations, as some mailers do").isEqualTo("invoice.exe");
        assertThat(filename("filename", "Gr\u00c3\u00bc\u00c3\u009fe.pdf")).as("UTF-8 octets read one char each")
                .isEqualTo("Grüße.pdf");
        assertThat(filename("filename", "caf\u00e9.pdf")).as("ISO-8859-1 octets stay").isEqualTo("café.pdf");
    }

    /**
     * Why MimeParameters exists: what mime4j 0.8.14's own fields make of these. Should this test fail after an
     * upgrade, mime4j may have caught up.
     */
    @Test
    void mime4jsOwnFieldsDecodeRfc2231OnlyInPartAndWrongly() throws Exception {
        ContentDispositionField outOfOrder = (ContentDispositionField) LenientFieldParser.parse(
                "Content-Disposition: attachment; filename*1=\"l.exe\"; filename*0=\"fina\"");
        ContentDispositionField plus = (ContentDispositionField) LenientFieldParser.parse(
                "Content-Disposition: attachment; filename*=UTF-8''a+b.exe");
        ContentTypeField typeName = (ContentTypeField) LenientFieldParser.parse(
                "Content-Type: application/octet-stream; name*=UTF-8''invoice%20final.exe");

        assertThat(outOfOrder.getFilename()).isEqualTo("l.exefina");
        assertThat(plus.getFilename()).isEqualTo("a b.exe");
        assertThat(typeName.getParameter("name")).isNull();
    }
}
