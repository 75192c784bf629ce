package ai.molecule.runtime.lifecycle;

import ai.molecule.runtime.platform.PlatformClient;
import ai.molecule.runtime.platform.PlatformException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The one-time {@code initial_prompt} (spec agent-side §1.7): sent to this workspace itself
 * through the platform proxy, so it is logged and queued like any other message. The marker
 * file is written before sending, so a prompt that crashes the agent is never replayed.
 */
public final class InitialPrompt {
    private static final Logger log = LoggerFactory.getLogger(InitialPrompt.class);
    public static final String MARKER = ".initial_prompt_done";
    public static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16));
    private static final Duration TIMEOUT = Duration.ofSeconds(600);

    private final PlatformClient platform;
    private final Path marker;
    private final String prompt;
    private final List<Duration> retryDelays;

    public InitialPrompt(PlatformClient platform, Path configDir, String prompt, List<Duration> retryDelays) {
        this.platform = platform;
        this.marker = configDir.resolve(MARKER);
        this.prompt = prompt;
        this.retryDelays = retryDelays;
    }

    /** Sends the prompt on a virtual thread when one is set and not yet sent; null when there is nothing to do. */
    public Thread startIfDue() {
        if (prompt.isBlank() || Files.exists(marker)) return null;
        try {
            Files.writeString(marker, Instant.now().toString());
        } catch (IOException e) {
            // Without the marker it would be sent again on every boot; better not to send it at all.
            log.error("workspace {}: cannot write {} ({}); initial_prompt not sent", platform.self(), marker, e.getMessage());
            return null;
        }
        return Thread.ofVirtual().name("initial-prompt-" + platform.self()).start(this::send);
    }

    private void send() {
        for (int attempt = 0; ; attempt++) {
            try {
                platform.a2a(platform.self(), prompt, TIMEOUT);
                log.info("workspace {}: initial_prompt delivered", platform.self());
                return;
            } catch (PlatformException e) {
                boolean retryable = e.status() == 0 || e.status() >= 500;
                if (!retryable || attempt >= retryDelays.size()) {
                    log.warn("workspace {}: initial_prompt not delivered: {}", platform.self(), e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(retryDelays.get(attempt));
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }
}
