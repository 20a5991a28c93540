package dev.mailgateway.mailauth.spf;

import dev.mailgateway.mailauth.spf.SpfResult.Result;

/**
 * Ends an evaluation with a {@link Result#PERMERROR} (a record or a limit broken: the domain must fix it) or a
 * {@link Result#TEMPERROR} (DNS did not answer: try later). Thrown through the evaluation's stages, because either
 * one ends check_host() at the top, however deep in includes it happened (RFC 7208 §5.2).
 */
final class SpfException extends RuntimeException {

    private final Result result;

    private SpfException(Result result, String problem) {
        super(problem, null, false, false); // an outcome, not a bug: no stack trace to fill
        this.result = result;
    }

    static SpfException permerror(String problem) {
        return new SpfException(Result.PERMERROR, problem);
    }

    static SpfException temperror(String problem) {
        return new SpfException(Result.TEMPERROR, problem);
    }

    Result result() {
        return result;
    }
}
