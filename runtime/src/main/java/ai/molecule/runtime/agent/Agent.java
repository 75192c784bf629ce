package ai.molecule.runtime.agent;

import java.util.function.Consumer;

/**
 * The thinking part of a workspace: one turn in, one reply out. The A2A server calls it
 * for every task; implementations stream text chunks as they are produced.
 */
public interface Agent {
    /**
     * Runs one turn. {@code chunks} receives streamed text as it is generated (may never be
     * called for non-streaming models). Implementations stop promptly when the calling thread
     * is interrupted (task cancelled) and then throw {@link InterruptedException}.
     *
     * @throws Exception on a model or tool failure; the caller turns it into "Agent error: ..."
     */
    AgentReply respond(AgentTurn turn, Consumer<String> chunks) throws Exception;
}
