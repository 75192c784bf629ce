package ai.molecule.runtime.config;

/** config.yaml cannot be used as written; the message names the file and the key. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
