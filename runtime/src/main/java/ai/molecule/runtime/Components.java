package ai.molecule.runtime;

import ai.molecule.runtime.a2a.A2aEndpoint;
import ai.molecule.runtime.a2a.AgentCardSpec;
import ai.molecule.runtime.agent.Agent;
import ai.molecule.runtime.agent.AgentTool;
import ai.molecule.runtime.agent.ModelSettings;
import ai.molecule.runtime.files.WorkspaceDir;

import java.util.List;
import java.util.Map;

/**
 * What {@link WorkspaceRuntime} builds its agent and A2A server from. {@link DefaultComponents}
 * is the real thing (LangChain4j models, the a2a-java server); tests supply small fakes.
 */
public interface Components {
    /** @throws Exception when the model cannot be set up (unknown provider, missing key...) */
    Agent agent(ModelSettings model, String systemPrompt, List<AgentTool> tools, int maxToolIterations,
                Map<String, String> env) throws Exception;

    /** @param workspace the dir behind the agent's {@code /workspace} (chat attachments, files it hands back) */
    A2aEndpoint endpoint(AgentCardSpec card, Agent agent, RuntimeStats stats, WorkspaceDir workspace);
}
