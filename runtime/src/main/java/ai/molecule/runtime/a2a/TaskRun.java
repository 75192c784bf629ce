package ai.molecule.runtime.a2a;

import ai.molecule.runtime.a2a.TaskEvent.ArtifactChunk;
import ai.molecule.runtime.a2a.TaskEvent.Reply;
import ai.molecule.runtime.a2a.TaskEvent.StatusChanged;
import io.a2a.spec.TaskState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * One task's state and the thread working on it. The first terminal state wins, so a
 * cancel racing with a late reply stays canceled. Listeners are called under the lock
 * and must only enqueue.
 */
final class TaskRun {
    private final String id;
    private final String contextId;
    private final ChatMessage request;
    private final String artifactId = UUID.randomUUID().toString();
    private final CountDownLatch done = new CountDownLatch(1);
    private final List<Consumer<TaskEvent>> listeners = new ArrayList<>(1);

    private TaskState state = TaskState.TASK_STATE_SUBMITTED;
    private Instant timestamp = Instant.now();
    private ChatMessage reply;
    private boolean chunked;
    private Thread worker;

    TaskRun(String id, String contextId, ChatMessage request) {
        this.id = id;
        this.contextId = contextId;
        this.request = request;
    }

    String id() {
        return id;
    }

    String contextId() {
        return contextId;
    }

    /** Registers a listener (unless the task is over) and returns the state it starts from. */
    synchronized TaskView subscribe(Consumer<TaskEvent> listener) {
        if (!state.isFinal()) {
            listeners.add(listener);
        }
        return view();
    }

    private Consumer<TaskState> endHook;

    synchronized void unsubscribe(Consumer<TaskEvent> listener) {
        listeners.remove(listener);
    }

    /** Marks the task working on {@code thread}; false if it was canceled before it started. */
    synchronized boolean started(Thread thread) {
        if (state.isFinal()) {
            return false;
        }
        worker = thread;
        setState(TaskState.TASK_STATE_WORKING);
        emit(new StatusChanged(state, null));
        return true;
    }

    synchronized void chunk(String text) {
        if (state.isFinal() || text == null || text.isEmpty()) {
            return;
        }
        emit(new ArtifactChunk(artifactId, text, chunked));
        chunked = true;
    }

    /** Runs once, inside {@link #finish}, before anyone waiting on the task can see it ended. */
    synchronized void onEnd(Consumer<TaskState> hook) {
        endHook = hook;
    }

    /** Ends the task with {@code finalState} and the agent's message; false if it had already ended. */
    synchronized boolean finish(TaskState finalState, ChatMessage message) {
        if (state.isFinal()) {
            return false;
        }
        if (endHook != null) endHook.accept(finalState);
        reply = message;
        setState(finalState);
        if (message != null) {
            emit(new Reply(message));
        }
        emit(new StatusChanged(finalState, message));
        listeners.clear();
        worker = null;
        done.countDown();
        return true;
    }

    /** Interrupts the worker (the model call stops) and ends the task as canceled; false if it had ended. */
    synchronized boolean cancel() {
        Thread thread = worker;
        if (!finish(TaskState.TASK_STATE_CANCELED, null)) {
            return false;
        }
        if (thread != null) {
            thread.interrupt();
        }
        return true;
    }

    /** Waits until the task ends; returns early (interrupt flag kept) if the caller is interrupted. */
    void awaitEnd() {
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized TaskView view() {
        List<ChatMessage> history = reply == null ? List.of(request) : List.of(request, reply);
        String artifactText = state == TaskState.TASK_STATE_COMPLETED && reply != null ? reply.text() : null;
        return new TaskView(id, contextId, state, timestamp, artifactId, artifactText, reply, history);
    }

    private void setState(TaskState next) {
        state = next;
        timestamp = Instant.now();
    }

    private void emit(TaskEvent event) {
        for (Consumer<TaskEvent> listener : List.copyOf(listeners)) {
            listener.accept(event);
        }
    }
}
