package ai.molecule.runtime.agent;

/**
 * Thrown by a tool to end the turn: the model gets no further rounds and {@link #reply()} is
 * the turn's answer. Used where a human's "no" must be final (a denied approval) rather than
 * a tool result the model might argue its way around.
 */
public final class TurnStopped extends Exception {
    /** @param reply the answer the caller receives; also the tool's output in the trace */
    public TurnStopped(String reply) {
        super(reply, null, false, false);
    }

    public String reply() {
        return getMessage();
    }
}
