package ai.molecule.runtime.platform;

/**
 * A platform call that did not succeed. The message is the platform's own {@code "error"}
 * text when it sent one, so tools can hand it to the model verbatim.
 *
 * @see #status() the HTTP status, or 0 when the platform could not be reached
 */
public final class PlatformException extends Exception {
    private final int status;

    public PlatformException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
