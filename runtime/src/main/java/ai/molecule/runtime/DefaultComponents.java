package ai.molecule.runtime;

import ai.molecule.runtime.a2a.A2aEndpoint;
import ai.molecule.runtime.a2a.A2aServer;
import ai.molecule.runtime.a2a.AgentCardSpec;
import ai.molecule.runtime.agent.Agent;
import ai.molecule.runtime.agent.AgentTool;
import ai.molecule.runtime.agent.LangChainAgent;
import ai.molecule.runtime.agent.ModelSettings;
import ai.molecule.runtime.files.WorkspaceDir;
import ai.molecule.runtime.model.ModelFactory;

import java.util.List;
import java.util.Map;

/** The production composition: a LangChain4j agent over the configured model chain, served by a2a-java. */
public final class DefaultComponents implements Components {
    @Override
    public Agent agent(ModelSettings model, String systemPrompt, List<AgentTool> tools, int maxToolIterations,
                       Map<String, String> env) {
        return new LangChainAgent(ModelFactory.create(model, env), systemPrompt, tools, maxToolIterations);
    }

    @Override
    public A2aEndpoint endpoint(AgentCardSpec card, Agent agent, RuntimeStats stats, WorkspaceDir workspace) {
        return new A2aServer(card, agent, stats, workspace);
    }
}
