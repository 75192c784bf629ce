package ai.molecule.runtime.a2a;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** The last {@code capacity} tasks of one server, so GetTask and ListTasks work after the reply. */
final class TaskStore {
    private final Map<String, TaskRun> runs;

    TaskStore(int capacity) {
        this.runs = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TaskRun> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void add(TaskRun run) {
        runs.put(run.id(), run);
    }

    synchronized Optional<TaskRun> find(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    /** The tasks that match, newest first. */
    synchronized List<TaskRun> newestFirst(Predicate<TaskRun> filter) {
        List<TaskRun> matching = new ArrayList<>();
        for (TaskRun run : runs.values()) {
            if (filter.test(run)) {
                matching.add(run);
            }
        }
        return matching.reversed();
    }
}
