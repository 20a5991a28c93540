package dev.mailgateway.state;

/** The store cannot answer now (Redis not reached yet): the caller goes on without the answer. */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message) {
        super(message);
    }
}
