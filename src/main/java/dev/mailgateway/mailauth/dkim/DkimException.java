package dev.mailgateway.mailauth.dkim;

/**
 * A signature that cannot pass, found out before (or instead of) the cryptography: a malformed tag, an expired
 * signature, a key record that does not fit. It carries the result it becomes, so that each check says once what
 * its failure means.
 */
final class DkimException extends Exception {

    private static final long serialVersionUID = 1L;

    private final DkimResult.Result result;

    DkimException(DkimResult.Result result, String reason) {
        super(reason, null, false, false); // an outcome, not a fault: no stack trace to fill
        this.result = result;
    }

    DkimResult.Result result() {
        return result;
    }
}
