package dev.mailgateway.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * The component JSON Camel's build plugin generates for a scheme (from {@code @UriEndpoint}, {@code @UriParam} and
 * {@code @Metadata}), found as Camel finds it: the service file names the component class, the JSON sits in its
 * package under {@code META-INF/}.
 */
public final class ComponentJson {

    /** The gateway's components, in the order a message meets them. */
    public static final List<String> SCHEMES = List.of("smtpd", "mail-policy", "mail-auth", "mail-filter",
            "mail-edit", "mail-event", "smtp-relay");

    private ComponentJson() {
    }

    public static JsonNode of(String scheme) {
        ClassLoader loader = ComponentJson.class.getClassLoader();
        try {
            Properties service = new Properties();
            try (InputStream in = loader.getResourceAsStream("META-INF/services/org/apache/camel/component/" + scheme)) {
                if (in == null) {
                    throw new IllegalStateException("no generated service file for " + scheme);
                }
                service.load(in);
            }
            String type = service.getProperty("class");
            String path = "META-INF/" + type.substring(0, type.lastIndexOf('.')).replace('.', '/') + "/" + scheme
                    + ".json";
            try (InputStream in = loader.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("no generated " + path);
                }
                return new ObjectMapper().readTree(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
