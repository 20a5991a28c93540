package dev.mailgateway.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailgateway.testing.SmtpClient;
import dev.mailgateway.testing.TestListener;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void acceptsOneMessage() throws Exception {
        try (TestListener listener = TestListener.start("idleTimeout=3s");
                SmtpClient client = SmtpClient.connect(listener.port())) {
            System.out.println(client.command("EHLO c.test", "250 "));
            System.out.println(client.sendMessage("a@b.test", "Subject: x\r\n\r\nhello\r\n", "c@d.test"));
            client.command("QUIT", "221 ");
            byte[] body = listener.received().get(0).getMessage().getBody(byte[].class);
            System.out.println(new String(body, StandardCharsets.UTF_8));
            System.out.println(listener.received().get(0).getMessage().getHeaders());
            assertThat(listener.received()).hasSize(1);
        }
    }
}
