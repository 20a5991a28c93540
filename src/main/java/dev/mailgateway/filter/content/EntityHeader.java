package dev.mailgateway.filter.content;

import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;

/**
 * What the header of the entity being read says about it: its type, read as mime4j will read it, and its file
 * name. One per scan, started over for each entity.
 */
final class EntityHeader {

    private boolean inDigest;
    private String type;
    private String typeWithoutBoundary;
    private String dispositionName;
    private String typeName;

    /** A new entity's header starts; a child of a multipart/digest is message/rfc822 unless it says otherwise. */
    void start(boolean digestChild) {
        inDigest = digestChild;
        type = null;
        typeWithoutBoundary = null;
        dispositionName = null;
        typeName = null;
    }

    void field(Field field) {
        String name = field.getName();
        if (name.equalsIgnoreCase("content-type")) {
            RawBody body = rawBody(field);
            if (type == null && body != null) {
                mimeType(body);
            }
            if (typeName == null && body != null) {
                typeName = MimeParameters.decoded(body.getParams(), "name");
            }
        } else if (name.equalsIgnoreCase("content-disposition") && dispositionName == null) {
            RawBody body = rawBody(field);
            if (body != null) {
                dispositionName = MimeParameters.decoded(body.getParams(), "filename");
            }
        }
    }

    /** The type the entity is read as: as declared, else as RFC 2045 (and RFC 2046 for digests) says. */
    String effectiveType() {
        return type != null ? type : inDigest ? "message/rfc822" : "text/plain";
    }

    /** Whether it declares a multipart without a boundary (read as text/plain, as mime4j does). */
    boolean multipartWithoutBoundary() {
        return type == null && typeWithoutBoundary != null;
    }

    /** The type the entity is listed with: what it is read as, except a multipart without boundary as declared. */
    String listedType() {
        return multipartWithoutBoundary() ? typeWithoutBoundary : effectiveType();
    }

    /** Content-Disposition's filename, else Content-Type's name; null if neither. */
    String fileName() {
        return dispositionName != null ? dispositionName : typeName;
    }

    private static RawBody rawBody(Field field) {
        try {
            RawField raw = field instanceof RawField r ? r : new RawField(field.getName(), field.getBody());
            return RawFieldParser.DEFAULT.parseRawBody(raw);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The type as mime4j's body descriptor will read it (it does not tell until the body starts, too late to keep a
     * container from being opened): the first Content-Type that is {@code type/subtype}, a multipart only with a
     * boundary parameter.
     */
    private void mimeType(RawBody body) {
        String value = body.getValue();
        if (value == null) {
            return;
        }
        value = value.trim().toLowerCase(Locale.ROOT);
        int slash = value.indexOf('/');
        if (slash < 0) {
            return;
        }
        String major = value.substring(0, slash).trim();
        String minor = value.substring(slash + 1).trim();
        if (major.isEmpty() || minor.isEmpty()) {
            return;
        }
        String candidate = major + "/" + minor;
        if (candidate.startsWith("multipart/") && !hasBoundary(body.getParams())) {
            typeWithoutBoundary = typeWithoutBoundary == null ? candidate : typeWithoutBoundary;
            return;
        }
        type = candidate;
    }

    /** As mime4j decides it: the last boundary parameter has a value. */
    private static boolean hasBoundary(List<NameValuePair> params) {
        boolean boundary = false;
        for (NameValuePair param : params) {
            if (param.getName() != null && param.getName().equalsIgnoreCase("boundary")) {
                boundary = param.getValue() != null;
            }
        }
        return boundary;
    }
}
