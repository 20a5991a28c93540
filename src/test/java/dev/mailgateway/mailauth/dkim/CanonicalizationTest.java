package dev.mailgateway.mailauth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Simple and relaxed canonicalization (RFC 6376 §3.4), octet for octet. */
class CanonicalizationTest {

    /** RFC 6376 §3.4.5, the header part of the example. */
    private static final String EXAMPLE_HEADER = "A: X\r\nB : Y\t\r\n\tZ  \r\n";
    /** RFC 6376 §3.4.5, the body part of the example. */
    private static final String EXAMPLE_BODY = " C \r\nD \t E\r\n\r\n\r\n";

    @Test
    void relaxedHeaderOfTheRfcExample() throws IOException {
        assertThat(headers(Canonicalization.RELAXED, EXAMPLE_HEADER)).isEqualTo("a:X\r\nb:Y Z\r\n");
    }

    @Test
    void simpleHeaderIsTheFieldAsReceived() throws IOException {
        assertThat(headers(Canonicalization.SIMPLE, EXAMPLE_HEADER)).isEqualTo(EXAMPLE_HEADER);
    }

    @Test
    void relaxedBodyOfTheRfcExample() {
        assertThat(body(Canonicalization.RELAXED, EXAMPLE_BODY)).isEqualTo(" C\r\nD E\r\n");
    }

    @Test
    void simpleBodyOfTheRfcExample() {
        assertThat(body(Canonicalization.SIMPLE, EXAMPLE_BODY)).isEqualTo(" C \r\nD \t E\r\n");
    }

    @ParameterizedTest(name = "{0} body [{1}]")
    @CsvSource(delimiter = '|', value = {
        "SIMPLE  | ''                   | \\r\\n",
        "RELAXED | ''                   | ''",
        "SIMPLE  | \\r\\n\\r\\n         | \\r\\n",
        "RELAXED | \\r\\n \\t\\r\\n     | ''",
        "SIMPLE  | no line end          | no line end\\r\\n",
        "RELAXED | no line end \\t      | no line end\\r\\n",
        "SIMPLE  | a\\r\\n\\r\\nb\\r\\n   | a\\r\\n\\r\\nb\\r\\n",
        "RELAXED | a \\r\\n\\t\\r\\nb     | a\\r\\n\\r\\nb\\r\\n",
        "SIMPLE  | bare\\nline ends\\n  | bare\\r\\nline ends\\r\\n",
        "SIMPLE  | lone\\rCR\\r         | lone\\rCR\\r\\r\\n",
        "RELAXED | lone \\r CR          | lone \\r CR\\r\\n",
        "SIMPLE  | trailing  \\r\\n     | trailing  \\r\\n",
    })
    void bodyEdges(Canonicalization canonicalization, String body, String canonical) {
        assertThat(body(canonicalization, unescape(body))).isEqualTo(unescape(canonical));
    }

    /** The state carries across chunks: octet by octet gives what one piece gives. */
    @Test
    void bodyFedOctetByOctetCanonicalizesAsInOnePiece() {
        String body = "x \t \r\n\r\n  y\r\r\n \r\n\r\n\t\r\nz  \r\n\r\n";
        for (Canonicalization canonicalization : Canonicalization.values()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BodyCanonicalizer canonicalizer = new BodyCanonicalizer(canonicalization, List.of(out::write));
            for (byte b : body.getBytes(StandardCharsets.ISO_8859_1)) {
                canonicalizer.update(new byte[] {b}, 0, 1);
            }
            canonicalizer.finish();
            assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo(body(canonicalization, body));
            assertThat(canonicalizer.length()).isEqualTo(out.size());
        }
    }

    @Test
    void bodyHashTakesOnlyTheFirstLOctets() throws Exception {
        BodyHash limited = new BodyHash("SHA-256", 5);
        BodyCanonicalizer canonicalizer = new BodyCanonicalizer(Canonicalization.SIMPLE, List.of(limited));
        canonicalizer.update("hello world\r\n".getBytes(StandardCharsets.US_ASCII), 0, 13);
        canonicalizer.finish();

        assertThat(limited.value()).isEqualTo(java.security.MessageDigest.getInstance("SHA-256")
                .digest("hello".getBytes(StandardCharsets.US_ASCII)));
        assertThat(canonicalizer.length()).isEqualTo(13);
    }

    @Test
    void relaxedHeaderLowerCasesOnlyTheNameAndUnfolds() {
        assertThat(Canonicalization.RELAXED.header("Subject:\r\n  Mixed\tCase \r\n\tText\t"))
                .isEqualTo("subject:Mixed Case Text");
        assertThat(Canonicalization.RELAXED.header("X-Empty: \t ")).isEqualTo("x-empty:");
    }

    @Test
    void cWithOneWordMeansThatHeaderAndASimpleBody() throws DkimException {
        assertThat(Canonicalization.parse("relaxed")).containsExactly(Canonicalization.RELAXED,
                Canonicalization.SIMPLE);
        assertThat(Canonicalization.parse(null)).containsExactly(Canonicalization.SIMPLE, Canonicalization.SIMPLE);
        assertThat(Canonicalization.parse("simple/relaxed")).containsExactly(Canonicalization.SIMPLE,
                Canonicalization.RELAXED);
    }

    private static String headers(Canonicalization canonicalization, String header) throws IOException {
        HeaderSection section = HeaderSection.read(new ByteArrayInputStream((header + "\r\nbody")
                .getBytes(StandardCharsets.ISO_8859_1)), 1 << 20);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < section.size(); i++) {
            out.append(canonicalization.header(section.field(i))).append("\r\n");
        }
        return out.toString();
    }

    private static String body(Canonicalization canonicalization, String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodyCanonicalizer canonicalizer = new BodyCanonicalizer(canonicalization, List.of(out::write));
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        canonicalizer.update(bytes, 0, bytes.length);
        canonicalizer.finish();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    }
}
