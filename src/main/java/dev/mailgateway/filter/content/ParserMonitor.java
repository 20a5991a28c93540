package dev.mailgateway.filter.content;

import org.apache.james.mime4j.codec.DecodeMonitor;

/**
 * mime4j's decoders and parser report what they tolerate here (this monitor never asks them to stop): invalid
 * base64 and quoted-printable become MIME_BAD_ENCODING; a multipart without its closing boundary and a header
 * line that is no field become MIME_MALFORMED. Tolerated without a finding: line ends other than CRLF in
 * quoted-printable, blanks before a line end, a header section ended by the end of the content.
 */
final class ParserMonitor extends DecodeMonitor {

    private final Findings findings;

    ParserMonitor(Findings findings) {
        this.findings = findings;
    }

    @Override
    public boolean warn(String error, String dropDesc) {
        if (error == null) {
            return false;
        }
        if (error.startsWith("Unexpected base64 byte") || error.startsWith("Unexpected end of BASE64")
                || error.startsWith("Unexpected padding") || error.startsWith("Malformed encoded value")
                || error.startsWith("Unexpected ==")) {
            findings.add(ContentScan.MIME_BAD_ENCODING);
        } else if (error.contains("Body part ended prematurely") || error.contains("Invalid header encountered")) {
            findings.add(ContentScan.MIME_MALFORMED);
        }
        return false;
    }

    @Override
    public boolean isListening() {
        return true;
    }
}
