package dev.mailgateway;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells HotSpot's optimizing compiler (C2) which code to leave to C1: the directives in
 * {@code compiler-directives.json} beside this class, which says why. They are added at run time, through the
 * DiagnosticCommand MBean ({@code jcmd PID Compiler.directives_add FILE} does the same), so the gateway gets them
 * however it is started ({@code java -jar}, the container, an operator's service unit) and no JVM option has to be
 * kept in step with the jar. {@code -Dgateway.compiler-directives=false} leaves the JVM's defaults. A JVM without the
 * command (not HotSpot) runs with its defaults; that is a warning, not a reason not to start.
 */
final class CompilerDirectives {

    static final String SWITCH = "gateway.compiler-directives";
    private static final String RESOURCE = "compiler-directives.json";
    private static final Logger LOG = LoggerFactory.getLogger(CompilerDirectives.class);

    private CompilerDirectives() {
    }

    /** Adds the directives unless switched off; what HotSpot answered, or why nothing was added. */
    static String install() {
        if (!Boolean.parseBoolean(System.getProperty(SWITCH, "true").strip())) {
            LOG.info("compiler directives: off ({}=false), the JVM's defaults apply", SWITCH);
            return "off";
        }
        try {
            String answer = add().strip();
            LOG.info("compiler directives: C2 kept for the JDK, Netty's buffers, James's mail libraries and our byte"
                    + " loops, C1 for the rest ({})", answer);
            return answer;
        } catch (IOException | JMException | RuntimeException e) {
            LOG.warn("compiler directives not added, the JVM's defaults apply: {}", e.toString());
            return "not added: " + e;
        }
    }

    /** The command reads a file, so the resource is copied to one for the duration of the call. */
    private static String add() throws IOException, JMException {
        Path file = Files.createTempFile("gateway-compiler-directives", ".json");
        try {
            try (InputStream in = CompilerDirectives.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IOException(RESOURCE + " is missing from the jar");
                }
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            Object answer = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                    new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            String text = String.valueOf(answer);
            // HotSpot answers a file it cannot parse with the parser's complaint, not with an exception
            if (!text.contains("directives added")) {
                throw new IllegalStateException("HotSpot refused " + RESOURCE + ": " + text.strip());
            }
            return text;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
