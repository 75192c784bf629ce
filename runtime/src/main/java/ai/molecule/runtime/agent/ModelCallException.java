package ai.molecule.runtime.agent;

/** Every model of the chain failed one call; the message names the last model and its error. */
public final class ModelCallException extends Exception {
    public ModelCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
