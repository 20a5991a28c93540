package dev.mailgateway.filter.engine;

import java.io.IOException;
import java.io.InputStream;

/** Opens a message from its first byte; each call gives a new stream the caller closes. */
@FunctionalInterface
public interface MessageSource {

    InputStream open() throws IOException;
}
