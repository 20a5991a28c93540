package dev.mailgateway.mail;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * This machine's name, for the greeting, EHLO, Received and report headers when {@code gateway.hostname} is empty.
 * Looked up once: the lookup may ask DNS, and the name does not change while we run.
 */
public final class LocalHost {

    private static final String NAME = lookUp();

    private LocalHost() {
    }

    /** {@code configured} when it is set, else this machine's name. */
    public static String name(String configured) {
        return configured != null && !configured.isBlank() ? configured.strip() : NAME;
    }

    private static String lookUp() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
