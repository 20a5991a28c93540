package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.mail.SmtpReply;
import dev.mailgateway.smtpd.internal.Replies;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reason label of smtpd_replies_total, for the replies our listener and blocks actually write. */
class ReplyReasonsTest {

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "250|2.0.0|Ok: queued as 4Xy|ok",
        "554|5.7.1|<a@b.test>: Relay access denied|relay-denied",
        "554|5.7.1|Service unavailable; client [192.0.2.1] blocked using zen.example|dnsbl",
        "554|5.7.1|<a@b.test>: Sender address rejected: blocked using dbl.example|dnsbl",
        "451|4.7.1|Greylisted, try again later|greylist",
        "450|4.7.1|Rate limit exceeded, try again later|rate-limit",
        "550|5.7.1|Message rejected as spam (GTUBE)|spam",
        "451|4.7.1|Content scanner unavailable, try again later|spam",
        "554|5.7.1|Message rejected: attachment type not allowed (a.exe)|attachment",
        "550|5.7.1|Rejected by DMARC policy for example.com|dmarc",
        "550|5.7.23|SPF validation failed for example.com|spf",
        "550|5.7.20|No passing DKIM signature found|dkim",
        "550|5.5.2|Error: bare <CR> or <LF> in message; lines must end with <CR><LF>|smuggling",
        "552|5.3.4|Error: message file too big|size",
        "550|5.1.1|<x@dest.test>: Recipient address rejected: User unknown|unknown-recipient",
        "452|4.5.3|Error: too many recipients|too-many-recipients",
        "530|5.7.0|Must issue a STARTTLS command first|tls-required",
        "535|5.7.8|Error: authentication failed|auth",
        "421|4.4.2|gw.test Error: timeout exceeded|timeout",
        "421|4.7.0|gw.test Error: too many connections|load",
        "554|5.4.6|Error: too many hops|loop",
        "451|4.3.0|Error: message not queued, please try again later|not-queued",
        "501|5.5.4|Syntax: MAIL FROM:<address>|protocol",
        "553|5.7.1|<a@b.test>: Sender address rejected: not owned by user bob|policy",
        "550|5.7.1|Our own words in a route|policy",
    })
    void namesTheReason(int code, String status, String text, String reason) {
        assertThat(ReplyReasons.of(SmtpReply.of(code, status, text))).isEqualTo(reason);
    }

    @org.junit.jupiter.api.Test
    void theListenersFixedRefusalsAllHaveAReason() {
        assertThat(ReplyReasons.of(Replies.TOO_BIG)).isEqualTo("size");
        assertThat(ReplyReasons.of(Replies.BARE_LINE_ENDING)).isEqualTo("smuggling");
        assertThat(ReplyReasons.of(Replies.AUTH_REQUIRED)).isEqualTo("auth");
        assertThat(ReplyReasons.of(Replies.NOT_QUEUED)).isEqualTo("not-queued");
        assertThat(ReplyReasons.of(Replies.UNKNOWN_COMMAND)).isEqualTo("protocol");
    }
}
