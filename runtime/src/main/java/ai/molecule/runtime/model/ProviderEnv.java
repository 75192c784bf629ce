package ai.molecule.runtime.model;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/** The environment as a provider reads it: keys, base URLs and the shared HTTP knobs. */
final class ProviderEnv {
    private static final int DEFAULT_MAX_RETRIES = 2;
    private static final int DEFAULT_TIMEOUT_SECONDS = 300;

    private final Map<String, String> env;

    ProviderEnv(Map<String, String> env) {
        this.env = env == null ? Map.of() : env;
    }

    /** The first of {@code names} that is set, or a clear error naming them all. */
    String requiredKey(String spec, String... names) {
        for (String name : names) {
            String value = optional(name);
            if (value != null) {
                return value;
            }
        }
        throw new IllegalArgumentException("model " + spec + " needs " + String.join(" or ", Arrays.asList(names)));
    }

    String optional(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    String orDefault(String name, String fallback) {
        String value = optional(name);
        return value == null ? fallback : value;
    }

    /** LangChain4j's own retries, with backoff; MODEL_MAX_RETRIES=0 leaves resilience to the fallbacks. */
    int maxRetries() {
        return intValue("MODEL_MAX_RETRIES", DEFAULT_MAX_RETRIES);
    }

    Duration timeout() {
        return Duration.ofSeconds(intValue("MODEL_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS));
    }

    int intValue(String name, int fallback) {
        String value = optional(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }
}
