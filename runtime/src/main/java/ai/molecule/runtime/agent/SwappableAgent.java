package ai.molecule.runtime.agent;

import java.util.function.Consumer;

/**
 * The agent behind a runtime's endpoint, replaceable while it serves: a turn in progress
 * finishes on the agent it started with, the next turn gets the new one (skill reloads).
 */
public final class SwappableAgent implements Agent, AutoCloseable {
    private volatile Agent current;

    public SwappableAgent(Agent first) {
        this.current = first;
    }

    public void swap(Agent next) {
        current = next;
    }

    @Override
    public AgentReply respond(AgentTurn turn, Consumer<String> chunks) throws Exception {
        return current.respond(turn, chunks);
    }

    @Override
    public void close() throws Exception {
        if (current instanceof AutoCloseable c) c.close();
    }
}
