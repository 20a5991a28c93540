package dev.mailgateway.filter.engine;

import dev.mailgateway.filter.engine.EngineFailure.Kind;
import dev.mailgateway.filter.engine.SpamdClient.Mode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * spamd's reply to one scan, read as it arrives: the status line ({@code SPAMD/1.x 0 EX_OK}, any other code a
 * refusal), the header lines ({@code Content-length}, {@code Spam:}), then the body, in which {@link SpamdRules}
 * finds the rules that hit. Kept up to {@link SpamdClient#MAX_REPLY} bytes. What is not spamd's protocol is a
 * {@link Kind#PROTOCOL} failure. Used on one thread, the exchange's event loop.
 */
final class SpamdReply {

    /** A status line or header line longer than this is not spamd's. */
    private static final int MAX_LINE = 4096;
    private static final byte[] SPAMD = "SPAMD/".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern STATUS = Pattern.compile("SPAMD/(\\d+\\.\\d+) +(\\d+) *(.*)");
    private static final Pattern SPAM = Pattern.compile(
            "(True|False|Yes|No)\\s*;\\s*(-?\\d+(?:\\.\\d+)?)\\s*/\\s*(-?\\d+(?:\\.\\d+)?)", Pattern.CASE_INSENSITIVE);

    /** Who answers, for the failures' messages: the client's description. */
    private final String spamd;
    private final Mode mode;
    private byte[] reply = new byte[1024];
    private int length;
    /** Where the body of the reply starts, once its header lines are read; -1 before. */
    private int bodyStart = -1;
    /** The reply's Content-length; -1 when it has none or its header lines are not read yet. */
    private long contentLength = -1;
    private String spamHeader;

    SpamdReply(String spamd, Mode mode) {
        this.spamd = spamd;
        this.mode = mode;
    }

    /** How many bytes arrived. */
    int length() {
        return length;
    }

    /** Keeps the bytes that arrived (the caller releases them); a reply over the bound fails. */
    void add(ByteBuf bytes) {
        int n = bytes.readableBytes();
        if (length + n > SpamdClient.MAX_REPLY) {
            throw new EngineFailure(Kind.PROTOCOL, spamd + ": reply longer than " + SpamdClient.MAX_REPLY
                    + " bytes");
        }
        if (length + n > reply.length) {
            reply = Arrays.copyOf(reply, Math.min(SpamdClient.MAX_REPLY, Math.max(length + n, reply.length * 2)));
        }
        bytes.readBytes(reply, length, n);
        length += n;
    }

    /**
     * The report, or null while more of the reply is needed; {@code end}: no more will come (a null then means the
     * reply was cut off).
     */
    SpamReport report(boolean end) {
        if (bodyStart < 0 && !readHead(end)) {
            return null;
        }
        int available = length - bodyStart;
        int bodyLength;
        if (contentLength >= 0) {
            if (available < contentLength) {
                return null;
            }
            bodyLength = (int) contentLength;
        } else if (end) {
            bodyLength = available;
        } else {
            return null;
        }
        return report(new String(reply, bodyStart, bodyLength, StandardCharsets.ISO_8859_1));
    }

    /** Reads the status and header lines; false while they are not all there. */
    private boolean readHead(boolean end) {
        int prefix = Math.min(length, SPAMD.length);
        if (!Arrays.equals(reply, 0, prefix, SPAMD, 0, prefix)) {
            throw new EngineFailure(Kind.PROTOCOL, spamd + ": not a spamd reply: " + printable(firstLine()));
        }
        int lineStart = 0;
        List<String> lines = new ArrayList<>();
        while (true) {
            int lf = indexOf((byte) '\n', lineStart);
            if (lf < 0) {
                if (length - lineStart > MAX_LINE) {
                    throw new EngineFailure(Kind.PROTOCOL, spamd + ": reply line longer than " + MAX_LINE + " bytes");
                }
                return false;
            }
            int lineEnd = lf > lineStart && reply[lf - 1] == '\r' ? lf - 1 : lf;
            String line = new String(reply, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1);
            lineStart = lf + 1;
            if (lines.isEmpty()) {
                status(line); // a refusal is known at once, whatever follows
            } else if (line.isEmpty()) {
                break;
            }
            lines.add(line);
        }
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new EngineFailure(Kind.PROTOCOL, spamd + ": not a reply header line: " + printable(line));
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (name.equals("content-length")) {
                contentLength = contentLength(value);
            } else if (name.equals("spam")) {
                spamHeader = value;
            }
        }
        bodyStart = lineStart;
        return true;
    }

    private void status(String line) {
        Matcher status = STATUS.matcher(line);
        if (!status.matches()) {
            throw new EngineFailure(Kind.PROTOCOL, spamd + ": not a spamd reply: " + printable(line));
        }
        if (!status.group(2).equals("0")) {
            throw new EngineFailure(Kind.PROTOCOL, spamd + " refused the scan: " + printable(line));
        }
    }

    private long contentLength(String value) {
        if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new EngineFailure(Kind.PROTOCOL, spamd + ": bad Content-length: " + printable(value));
        }
        long parsed = Long.parseLong(value);
        if (parsed > SpamdClient.MAX_REPLY) {
            throw new EngineFailure(Kind.PROTOCOL, spamd + ": reply longer than " + SpamdClient.MAX_REPLY
                    + " bytes (Content-length: " + parsed + ")");
        }
        return parsed;
    }

    private SpamReport report(String body) {
        if (spamHeader == null) {
            throw new EngineFailure(Kind.PROTOCOL, spamd + ": reply without a Spam: header");
        }
        Matcher spam = SPAM.matcher(spamHeader);
        if (!spam.matches()) {
            throw new EngineFailure(Kind.PROTOCOL, spamd + ": bad Spam: header: " + printable(spamHeader));
        }
        boolean isSpam = spam.group(1).equalsIgnoreCase("true") || spam.group(1).equalsIgnoreCase("yes");
        double score = Double.parseDouble(spam.group(2));
        double required = Double.parseDouble(spam.group(3));
        List<String> rules = mode == Mode.SYMBOLS ? SpamdRules.ofSymbols(spamd, body) : SpamdRules.ofHeaders(body);
        List<SpamReport.Symbol> symbols = new ArrayList<>(rules.size());
        for (String rule : rules) {
            symbols.add(new SpamReport.Symbol(rule, Double.NaN));
        }
        return new SpamReport(score, required, isSpam ? EngineAction.TAG : EngineAction.PASS, symbols, null,
                List.of(), List.of(), null);
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < length; i++) {
            if (reply[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private String firstLine() {
        int lf = indexOf((byte) '\n', 0);
        return new String(reply, 0, lf < 0 ? length : lf, StandardCharsets.ISO_8859_1);
    }

    /** At most 200 characters, control characters shown as '?'. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            out.append(c < ' ' || c > '~' ? '?' : c);
        }
        return text.length() > 200 ? out + "..." : out.toString();
    }
}
