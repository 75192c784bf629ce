package ai.molecule.platform;

/** A start-up failure the user can fix; its message is the one line the CLI prints. */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message, null, false, false);
    }
}
