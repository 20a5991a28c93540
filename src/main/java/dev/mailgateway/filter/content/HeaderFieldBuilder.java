package dev.mailgateway.filter.content;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.DefaultFieldBuilder;
import org.apache.james.mime4j.stream.FieldBuilder;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.apache.james.mime4j.util.RecycledByteArrayBuffer;

/**
 * mime4j's field builder, except that an empty header section is no invalid field: mime4j builds a field from
 * the blank line that ends an empty header section and reports it invalid, which would make every part without
 * header fields malformed. A line that is really no field still is.
 */
final class HeaderFieldBuilder implements FieldBuilder {

    private final DefaultFieldBuilder fields;

    HeaderFieldBuilder(DefaultFieldBuilder fields) {
        this.fields = fields;
    }

    @Override
    public void reset() {
        fields.reset();
    }

    @Override
    public void append(ByteArrayBuffer line) throws MimeException {
        fields.append(line);
    }

    @Override
    public RawField build() throws MimeException {
        RecycledByteArrayBuffer raw = fields.getRaw();
        for (int i = 0; i < raw.length(); i++) {
            byte b = raw.byteAt(i);
            if (b != '\r' && b != '\n' && b != ' ' && b != '\t') {
                return fields.build();
            }
        }
        return null; // mime4j skips it
    }

    @Override
    public RecycledByteArrayBuffer getRaw() {
        return fields.getRaw();
    }

    @Override
    public void release() {
        fields.release();
    }
}
