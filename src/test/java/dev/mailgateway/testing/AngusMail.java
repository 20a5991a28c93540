package dev.mailgateway.testing;

import jakarta.mail.Session;
import java.util.Properties;

/** Angus Mail (Jakarta Mail) sessions pointed at a local listener. */
public final class AngusMail {

    private AngusMail() {
    }

    public static Session session(int port, String helo) {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(port));
        props.put("mail.smtp.localhost", helo);
        props.put("mail.smtp.allow8bitmime", "true");
        props.put("mail.smtp.connectiontimeout", "15000");
        props.put("mail.smtp.timeout", "15000");
        return Session.getInstance(props);
    }
}
