package dev.mailgateway.mailauth.dkim;

import java.io.IOException;
import java.io.InputStream;

/**
 * A message as the relay puts it on the wire (relay/DotStuffer): every bare CR and every bare LF becomes CRLF. The
 * signer hashes what the next hop will receive, not what the spool holds: the canonicalizations take a bare LF for
 * a line end but a bare CR for content, so a message a route made with one would otherwise be signed with a body
 * hash no verifier gets. Messages from the listener have CRLF only, and pass through unchanged.
 */
final class WireLineEndings extends InputStream {

    private final InputStream in;
    private final byte[] chunk = new byte[65536];
    private int position;
    private int limit;
    private boolean afterCr; // the last octet given out was a CR: a LF is due, from the source or from us
    private boolean lfDue; // a bare LF was turned into CR: its LF comes next

    WireLineEndings(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] out, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        int n = 0;
        while (n < length) {
            if (lfDue) {
                lfDue = false;
                out[offset + n++] = '\n';
            } else if (position == limit) {
                if (n > 0) {
                    return n; // what is here now, rather than waiting for more
                }
                limit = Math.max(in.read(chunk), 0);
                position = 0;
                if (limit == 0) {
                    return end(out, offset);
                }
            } else {
                byte b = chunk[position];
                if (afterCr) {
                    afterCr = false;
                    out[offset + n++] = '\n';
                    position += b == '\n' ? 1 : 0; // CRLF already; after a bare CR, b is read next time round
                } else {
                    position++;
                    out[offset + n++] = b == '\n' ? (byte) '\r' : b;
                    afterCr = b == '\r';
                    lfDue = b == '\n';
                }
            }
        }
        return n;
    }

    /** The source has ended: a CR at its very end gets its LF. */
    private int end(byte[] out, int offset) {
        if (afterCr) {
            afterCr = false;
            out[offset] = '\n';
            return 1;
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
