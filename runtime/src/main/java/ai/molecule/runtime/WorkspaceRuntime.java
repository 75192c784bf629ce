package ai.molecule.runtime;

import ai.molecule.runtime.a2a.A2aEndpoint;
import ai.molecule.runtime.a2a.AgentCardSpec;
import ai.molecule.runtime.agent.Agent;
import ai.molecule.runtime.agent.AgentTool;
import ai.molecule.runtime.agent.SwappableAgent;
import ai.molecule.runtime.config.ConfigException;
import ai.molecule.runtime.config.Plugin;
import ai.molecule.runtime.config.PromptAssembler;
import ai.molecule.runtime.config.Skill;
import ai.molecule.runtime.config.WorkspaceConfig;
import ai.molecule.runtime.files.WorkspaceDir;
import ai.molecule.runtime.lifecycle.EnvDuration;
import ai.molecule.runtime.lifecycle.IdleLoop;
import ai.molecule.runtime.lifecycle.InitialPrompt;
import ai.molecule.runtime.lifecycle.SkillWatcher;
import ai.molecule.runtime.platform.HeartbeatLoop;
import ai.molecule.runtime.platform.PlatformClient;
import ai.molecule.runtime.platform.PlatformException;
import ai.molecule.runtime.platform.TokenStore;
import ai.molecule.runtime.tools.BuiltinTools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * One workspace's runtime, started the same way in process or in a child process (spec
 * agent-side §1.3): config, preflight, prompt, agent, A2A endpoint, registration, heartbeat,
 * then the initial prompt and the idle loop. {@link #close()} stops it; there is no
 * de-registration, the platform sees the heartbeats stop.
 */
public final class WorkspaceRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkspaceRuntime.class);

    private final WorkspaceConfig config;
    private final String systemPrompt;
    private final RuntimeStats stats;
    private final A2aEndpoint endpoint;
    private final Agent agent;
    private final HeartbeatLoop heartbeat;
    private final IdleLoop idle;
    private final SkillWatcher skillWatcher;
    private volatile Thread initialPrompt;

    private WorkspaceRuntime(WorkspaceConfig config, String systemPrompt, RuntimeStats stats, Agent agent,
                             A2aEndpoint endpoint, HeartbeatLoop heartbeat, IdleLoop idle, SkillWatcher skillWatcher) {
        this.config = config;
        this.systemPrompt = systemPrompt;
        this.stats = stats;
        this.agent = agent;
        this.endpoint = endpoint;
        this.heartbeat = heartbeat;
        this.idle = idle;
        this.skillWatcher = skillWatcher;
    }

    public static WorkspaceRuntime start(RuntimeSettings settings, Components components) throws RuntimeStartException {
        WorkspaceConfig config = loadConfig(settings);
        preflight(config, settings);
        PlatformClient platform = new PlatformClient(settings.platformUrl(), settings.workspaceId(), settings.http(),
                new TokenStore(settings.configDir()));
        List<Plugin> plugins = Plugin.loadAll(settings.configDir(), config.runtime());
        List<Skill> skills = Plugin.withSkillsOf(Skill.loadAll(settings.configDir(), config.skills()), plugins);
        String prompt = PromptAssembler.assemble(config, settings.configDir(), skills, plugins, platform);
        List<AgentTool> tools = BuiltinTools.of(platform, settings.env());
        SwappableAgent agent;
        try {
            agent = new SwappableAgent(components.agent(config.modelSettings(), prompt, tools, config.maxToolIterations(), settings.env()));
        } catch (Exception e) {
            throw new RuntimeStartException("cannot set up the model " + config.model() + ": " + e.getMessage());
        }
        AgentCardSpec card = card(config, skills, settings.selfUrl());
        RuntimeStats stats = new RuntimeStats();
        A2aEndpoint endpoint = components.endpoint(card, agent, stats, new WorkspaceDir(settings.workspaceDir()));
        register(platform, card, config.model());
        HeartbeatLoop heartbeat = new HeartbeatLoop(platform, stats, HeartbeatLoop.interval(settings.env()));
        IdleLoop idle = new IdleLoop(platform, stats, config.idlePrompt(), Duration.ofSeconds(config.idleIntervalSeconds()));
        SkillWatcher skillWatcher = new SkillWatcher(settings.configDir(), config.skills(),
                () -> reload(config, settings, components, platform, tools, agent));
        WorkspaceRuntime runtime = new WorkspaceRuntime(config, prompt, stats, agent, endpoint, heartbeat, idle, skillWatcher);
        heartbeat.start();
        skillWatcher.start(EnvDuration.seconds(settings.env(), "SKILL_WATCH_INTERVAL_SECONDS", 3), "skills-" + settings.workspaceId());
        runtime.initialPrompt = new InitialPrompt(platform, settings.configDir(), config.initialPrompt(),
                InitialPrompt.RETRY_DELAYS).startIfDue();
        idle.start();
        log.info("workspace {} ({}) started with model {}", settings.workspaceId(), config.name(), config.model());
        return runtime;
    }

    /**
     * A watched skill or plugin changed on disk: the prompt is assembled again and the next turn
     * runs on a new agent; the registered card lists the skills as they are now. No restart, no
     * lost task.
     */
    private static void reload(WorkspaceConfig config, RuntimeSettings settings, Components components,
                               PlatformClient platform, List<AgentTool> tools, SwappableAgent agent) {
        List<Plugin> plugins = Plugin.loadAll(settings.configDir(), config.runtime());
        List<Skill> skills = Plugin.withSkillsOf(Skill.loadAll(settings.configDir(), config.skills()), plugins);
        String prompt = PromptAssembler.assemble(config, settings.configDir(), skills, plugins, platform);
        try {
            agent.swap(components.agent(config.modelSettings(), prompt, tools, config.maxToolIterations(), settings.env()));
        } catch (Exception e) {
            log.warn("workspace {}: skills or plugins changed but the agent could not be rebuilt: {}", settings.workspaceId(), e.getMessage());
            return;
        }
        register(platform, card(config, skills, settings.selfUrl()), config.model());
        log.info("workspace {}: skill_reload ({} skills, {} plugins)", settings.workspaceId(), skills.size(), plugins.size());
    }

    private static WorkspaceConfig loadConfig(RuntimeSettings settings) throws RuntimeStartException {
        try {
            return WorkspaceConfig.load(settings.configDir(), settings.env());
        } catch (ConfigException e) {
            throw new RuntimeStartException(e.getMessage());
        }
    }

    private static void preflight(WorkspaceConfig config, RuntimeSettings settings) throws RuntimeStartException {
        List<String> missing = config.runtimeConfig().requiredEnv().stream()
                .filter(k -> settings.env().getOrDefault(k, "").isBlank()).toList();
        if (!missing.isEmpty()) {
            throw new RuntimeStartException("missing required environment variables: " + String.join(", ", missing));
        }
    }

    private static AgentCardSpec card(WorkspaceConfig config, List<Skill> skills, String url) {
        return new AgentCardSpec(config.name(), config.cardDescription(), config.version(), url,
                skills.stream().map(s -> new AgentCardSpec.Skill(s.id(), s.name(), s.description(), s.tags())).toList(),
                config.streaming());
    }

    /** A platform that is down now will see the heartbeats later; the runtime serves regardless, as upstream. */
    private static void register(PlatformClient platform, AgentCardSpec card, String model) {
        try {
            platform.register(card.url(), RegistrationCard.of(card, model));
        } catch (PlatformException e) {
            log.warn("workspace {}: registration failed: {}", platform.self(), e.getMessage());
        }
    }

    public A2aEndpoint endpoint() {
        return endpoint;
    }

    public RuntimeStats stats() {
        return stats;
    }

    public WorkspaceConfig config() {
        return config;
    }

    public String systemPrompt() {
        return systemPrompt;
    }

    @Override
    public void close() {
        skillWatcher.close();
        idle.close();
        heartbeat.close();
        Thread t = initialPrompt;
        if (t != null) t.interrupt();
        closeQuietly(endpoint);
        closeQuietly(agent);
    }

    private static void closeQuietly(Object o) {
        if (o instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", o.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
