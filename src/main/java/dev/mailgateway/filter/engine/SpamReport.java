package dev.mailgateway.filter.engine;

import java.util.List;

/**
 * What an engine said of a message.
 *
 * @param score         the engine's score
 * @param required      the engine's own spam threshold (Rspamd's {@code required_score}, spamd's threshold); NaN if none
 * @param action        what the engine proposes
 * @param symbols       the rules that hit, with their scores (NaN when the engine gives none, as spamd's SYMBOLS)
 * @param smtpMessage   the reply text the engine proposes for a refusal (Rspamd's {@code messages.smtp_message}); null if none
 * @param addHeaders    header fields the engine asks to add (Rspamd's {@code milter.add_headers}), in order
 * @param removeHeaders header field names the engine asks to remove (Rspamd's {@code milter.remove_headers})
 * @param subject       the rewritten Subject (Rspamd's {@code subject} for "rewrite subject"); null if none
 */
public record SpamReport(double score, double required, EngineAction action, List<Symbol> symbols,
        String smtpMessage, List<Field> addHeaders, List<String> removeHeaders, String subject) {

    public SpamReport {
        symbols = List.copyOf(symbols);
        addHeaders = List.copyOf(addHeaders);
        removeHeaders = List.copyOf(removeHeaders);
    }

    /** One rule that hit. */
    public record Symbol(String name, double score) {
    }

    /** One header field to add: name and unfolded value. */
    public record Field(String name, String value) {
    }
}
