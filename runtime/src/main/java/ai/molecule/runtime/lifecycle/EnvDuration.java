package ai.molecule.runtime.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/** A tuning knob in seconds from the environment; fractions allowed (tests use short ones). */
public final class EnvDuration {
    private static final Logger log = LoggerFactory.getLogger(EnvDuration.class);

    private EnvDuration() {
    }

    public static Duration seconds(Map<String, String> env, String key, double fallback) {
        String raw = env.get(key);
        if (raw != null && !raw.isBlank()) {
            try {
                double s = Double.parseDouble(raw.trim());
                if (s > 0) return Duration.ofMillis(Math.round(s * 1000));
            } catch (NumberFormatException ignored) {
                // falls through to the warning
            }
            log.warn("{}={} is not a positive number of seconds; using {}", key, raw, fallback);
        }
        return Duration.ofMillis(Math.round(fallback * 1000));
    }
}
