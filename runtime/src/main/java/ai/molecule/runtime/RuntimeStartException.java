package ai.molecule.runtime;

/** The runtime cannot start (bad config, missing environment...); the message says what to fix. */
public final class RuntimeStartException extends Exception {
    public RuntimeStartException(String message) {
        super(message);
    }
}
