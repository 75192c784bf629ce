package ai.molecule.runtime.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Watches the listed skill folders (spec agent-side §5.4) and the installed plugins (the
 * config dir's {@code plugins/}): every {@code interval} a SHA-256 over their files (paths and
 * contents); a change that holds for one more poll (the debounce: an editor's half-written
 * save, or a plugin still being copied, is not loaded) runs {@code onChange} once.
 */
public final class SkillWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SkillWatcher.class);

    private final List<Path> watched;
    private final Runnable onChange;
    private final AtomicBoolean busy = new AtomicBoolean();
    private String loaded;
    private String pending;
    private ScheduledFuture<?> ticks;

    public SkillWatcher(Path configDir, List<String> skills, Runnable onChange) {
        Path skillsDir = configDir.resolve("skills").normalize();
        List<Path> dirs = new java.util.ArrayList<>();
        for (String skill : skills) {
            Path dir = skillsDir.resolve(skill).normalize();
            if (dir.startsWith(skillsDir)) dirs.add(dir);
        }
        dirs.add(configDir.resolve(ai.molecule.runtime.config.Plugin.DIR));
        this.watched = List.copyOf(dirs);
        this.onChange = onChange;
        this.loaded = fingerprint();
    }

    public synchronized void start(Duration interval, String name) {
        if (ticks != null) return;
        ticks = SharedScheduler.every(interval, interval, name, this::tick);
    }

    void tick() {
        if (!busy.compareAndSet(false, true)) return;
        try {
            String now = fingerprint();
            if (now.equals(loaded)) {
                pending = null;
            } else if (now.equals(pending)) {
                loaded = now;
                pending = null;
                onChange.run();
            } else {
                pending = now;
            }
        } catch (RuntimeException e) {
            log.warn("skill reload failed: {}", e.getMessage());
        } finally {
            busy.set(false);
        }
    }

    /** One hash over every file of every watched folder; unreadable parts count as changes when they recover. */
    String fingerprint() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Path dir : watched) {
            sha.update(dir.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) continue;
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path f : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                    sha.update(dir.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    try (InputStream in = Files.newInputStream(f)) {
                        sha.update(in.readAllBytes());
                    }
                }
            } catch (IOException e) {
                sha.update(("unreadable:" + dir).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public synchronized void close() {
        if (ticks != null) ticks.cancel(false);
        ticks = null;
    }
}
