package ai.molecule.platform.provisioner;

import ai.molecule.platform.http.LogSafe;
import ai.molecule.runtime.Components;
import ai.molecule.runtime.DefaultComponents;
import ai.molecule.runtime.RuntimeSettings;
import ai.molecule.runtime.RuntimeStartException;
import ai.molecule.runtime.RuntimeStats;
import ai.molecule.runtime.WorkspaceRuntime;
import ai.molecule.runtime.a2a.A2aEndpoint;
import ai.molecule.runtime.a2a.AgentCardSpec;
import ai.molecule.runtime.agent.Agent;
import ai.molecule.runtime.agent.AgentTool;
import ai.molecule.runtime.agent.ModelSettings;
import ai.molecule.runtime.files.WorkspaceDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code MOLECULE_PROVISIONER=embedded} (the default): each workspace's runtime lives inside
 * the platform JVM — no process, no port, a few virtual threads. The proxy hands it requests
 * in process; outside callers reach it at {@code /agents/{id}} on the platform's own port.
 * All runtimes share one HTTP client for their platform calls.
 */
public final class EmbeddedProvisioner implements Provisioner, AgentDirectory {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedProvisioner.class);

    private final LaunchPlans plans;
    private final String instanceId;
    private final Components components;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) // no pool growing with load
            .build();
    private final Map<UUID, A2aEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<UUID, WorkspaceRuntime> runtimes = new ConcurrentHashMap<>();

    public EmbeddedProvisioner(LaunchPlans plans, String instanceId) {
        this(plans, instanceId, new DefaultComponents());
    }

    EmbeddedProvisioner(LaunchPlans plans, String instanceId, Components components) {
        this.plans = plans;
        this.instanceId = instanceId;
        this.components = components;
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public void start(UUID id) {
        synchronized (lock(id)) {
            if (runtimes.containsKey(id)) return;
            try {
                LaunchPlans.Plan plan = plans.plan(id);
                RuntimeSettings settings = new RuntimeSettings(id, plan.platformUrl(), plan.configDir(), plan.env(),
                        agentUrl(plan.platformUrl(), id), http);
                plans.claim(id, instanceId);
                runtimes.put(id, WorkspaceRuntime.start(settings, publishing(id)));
            } catch (RuntimeStartException | RuntimeException e) {
                endpoints.remove(id);
                log.warn("workspace {} failed to start: {}", id, LogSafe.of(e.getMessage()));
                plans.failed(id, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
    }

    /** Publishes the endpoint the moment it exists, before the runtime registers and traffic can arrive. */
    private Components publishing(UUID id) {
        return new Components() {
            @Override
            public Agent agent(ModelSettings model, String systemPrompt, List<AgentTool> tools, int maxToolIterations,
                               Map<String, String> env) throws Exception {
                return components.agent(model, systemPrompt, tools, maxToolIterations, env);
            }

            @Override
            public A2aEndpoint endpoint(AgentCardSpec card, Agent agent, RuntimeStats stats, WorkspaceDir workspace) {
                A2aEndpoint e = components.endpoint(card, agent, stats, workspace);
                endpoints.put(id, e);
                return e;
            }
        };
    }

    @Override
    public void stop(UUID id) {
        synchronized (lock(id)) {
            endpoints.remove(id);
            WorkspaceRuntime r = runtimes.remove(id);
            if (r != null) r.close();
        }
    }

    @Override
    public Optional<A2aEndpoint> inProcess(UUID workspaceId) {
        return Optional.ofNullable(endpoints.get(workspaceId));
    }

    @Override
    public boolean ownsUrl(UUID id, String url) {
        return agentUrl(plans.platformUrl(), id).equals(url);
    }

    public int running() {
        return runtimes.size();
    }

    public void stopAll() {
        List.copyOf(runtimes.keySet()).forEach(this::stop);
    }

    static String agentUrl(String platformUrl, UUID id) {
        return platformUrl + "/agents/" + id;
    }

    private final Map<UUID, Object> locks = new ConcurrentHashMap<>();

    private Object lock(UUID id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }
}
