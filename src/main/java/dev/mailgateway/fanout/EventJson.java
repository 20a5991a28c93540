package dev.mailgateway.fanout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Events as JSON, one object on one line; field order as the records declare them. */
final class EventJson {

    /** Thread-safe once configured, as Jackson documents. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {
    }

    static String write(Object event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event that Jackson cannot write: " + event.getClass(), e);
        }
    }
}
