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

    /**
     * A session that submits with a user and password: over STARTTLS ({@code smtp}) or implicit TLS
     * ({@code smtps}), trusting the test listener's self-signed certificate.
     */
    public static Session submission(int port, String protocol, String mechanism) {
        Session session = session(port, "angus.client.test");
        Properties props = session.getProperties();
        String p = "mail." + protocol + ".";
        props.put(p + "host", "127.0.0.1");
        props.put(p + "port", String.valueOf(port));
        props.put(p + "timeout", "15000");
        props.put(p + "auth", "true");
        props.put(p + "auth.mechanisms", mechanism);
        props.put(p + "ssl.trust", "*");
        props.put(p + "ssl.checkserveridentity", "false");
        if (protocol.equals("smtp")) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        return session;
    }
}
