package ai.molecule.platform.a2a;

/** How one delivery attempt to an agent ended. */
sealed interface Dispatch {
    /** The agent answered (any HTTP status); for a stream, {@code body} is its last event. */
    record Reply(int status, String body) implements Dispatch {
    }

    /** The agent is at capacity or did not answer in time: the message should wait in the queue. */
    record Busy(String reason) implements Dispatch {
    }

    /** Nothing is listening: the runtime is gone and needs a restart. */
    record Unreachable(String reason) implements Dispatch {
    }

    /** Anything else that kept the request from the agent. */
    record Failed(String reason) implements Dispatch {
    }
}
