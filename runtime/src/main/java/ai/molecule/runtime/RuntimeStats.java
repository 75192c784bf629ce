package ai.molecule.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the heartbeat reports (spec agent-side §1.6): active tasks, the current task, and
 * the error rate since the last successful beat. The A2A server feeds it; the heartbeat
 * reads it. Thread-safe.
 */
public final class RuntimeStats {
    private final Instant started = Instant.now();
    private final Map<String, String> active = new LinkedHashMap<>();
    private int requests;
    private int errors;
    private String sampleError = "";
    private final List<Runnable> listeners = new ArrayList<>();

    /** A snapshot for one heartbeat. */
    public record Beat(int activeTasks, String currentTask, double errorRate, String sampleError, long uptimeSeconds) {
    }

    /** Called on task start and end, e.g. to push an immediate heartbeat. */
    public synchronized void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public void taskStarted(String taskId, String summary) {
        synchronized (this) {
            active.put(taskId, summary == null ? "" : summary.length() > 80 ? summary.substring(0, 80) : summary);
            requests++;
        }
        fire();
    }

    public void taskEnded(String taskId, String error) {
        synchronized (this) {
            active.remove(taskId);
            if (error != null) {
                errors++;
                sampleError = error.length() > 500 ? error.substring(0, 500) : error;
            }
        }
        fire();
    }

    public synchronized int activeTasks() {
        return active.size();
    }

    public synchronized Beat snapshot() {
        String current = active.isEmpty() ? "" : active.values().iterator().next();
        double rate = requests == 0 ? 0 : (double) errors / requests;
        return new Beat(active.size(), current, rate, errors == 0 ? "" : sampleError,
                Duration.between(started, Instant.now()).toSeconds());
    }

    /** After a successful beat the error window starts again. */
    public synchronized void beatDelivered() {
        requests = active.size();
        errors = 0;
        sampleError = "";
    }

    private void fire() {
        List<Runnable> copy;
        synchronized (this) {
            copy = List.copyOf(listeners);
        }
        copy.forEach(Runnable::run);
    }
}
