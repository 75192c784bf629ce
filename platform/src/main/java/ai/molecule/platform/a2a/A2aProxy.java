package ai.molecule.platform.a2a;

import ai.molecule.platform.activity.ActivityService;
import ai.molecule.platform.db.Database;
import ai.molecule.platform.db.PgListener;
import ai.molecule.platform.db.WriteBehind;
import ai.molecule.platform.hierarchy.Hierarchy;
import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.EventTypes;
import ai.molecule.platform.http.ApiError;
import ai.molecule.platform.http.Json;
import ai.molecule.platform.http.JsonMap;
import ai.molecule.platform.provisioner.AgentDirectory;
import ai.molecule.platform.provisioner.Provisioner;
import ai.molecule.platform.registry.UrlSafety;
import ai.molecule.platform.workspace.Workspace;
import ai.molecule.platform.workspace.WorkspaceRepository;
import ai.molecule.platform.workspace.WorkspaceStatus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Delivers A2A messages to workspaces after the caller passed the route's checks
 * (spec §3.2 steps 6–12): budget, URL safety, capacity, dispatch, and every side effect
 * (activity on both ends, A2A_RESPONSE, last_outbound_at, token usage). A busy target's
 * message goes to the durable queue, drained in order on the target's heartbeats.
 */
public final class A2aProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(A2aProxy.class);
    static final Duration AGENT_CEILING = Duration.ofMinutes(30);
    static final Duration STARTING_GRACE = Duration.ofSeconds(20);
    /** A reply is stored as the agent sent it only when it is one JSON value, nothing after it. */
    private static final com.fasterxml.jackson.databind.ObjectReader WHOLE_BODY =
            Json.MAPPER.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Jdbi jdbi;
    private final WorkspaceRepository workspaces;
    private final ActivityService activity;
    private final EventBus events;
    private final AgentDispatcher dispatcher;
    private final A2aQueue queue;
    private final UrlSafety urlSafety;
    private final Provisioner provisioner;
    private final Hierarchy hierarchy;
    private final Capacity capacity;
    private final String instanceId;
    private final InstanceHops hops;
    private final WriteBehind.Lane<UUID> outbound;
    private final WriteBehind.Lane<Usage> usage;
    private volatile DeliveryListener listener = (target, body, reply) -> { };
    private volatile java.util.function.Consumer<UUID> waker = id -> { };

    /** Told about every message an agent answered, e.g. to stitch delegation results. */
    public interface DeliveryListener {
        void delivered(UUID target, ObjectNode request, String replyBody);
    }

    /** What the proxy needs besides the database; one record so the wiring stays readable. */
    public record Parts(WorkspaceRepository workspaces, ActivityService activity, EventBus events, Hierarchy hierarchy,
                        AgentDirectory directory, UrlSafety urlSafety, Provisioner provisioner, WriteBehind writeBehind,
                        InstanceHops hops) {
    }

    public A2aProxy(Database db, Parts parts, String instanceId, Duration idleTimeout, Duration lease) {
        this.jdbi = db.jdbi();
        this.workspaces = parts.workspaces();
        this.activity = parts.activity();
        this.events = parts.events();
        this.hierarchy = parts.hierarchy();
        this.dispatcher = new AgentDispatcher(parts.directory(), new Deadline(events, idleTimeout));
        this.queue = new A2aQueue(jdbi, instanceId, lease);
        this.urlSafety = parts.urlSafety();
        this.provisioner = parts.provisioner();
        this.capacity = new Capacity(db.relaxed(), instanceId);
        this.instanceId = instanceId;
        this.hops = parts.hops();
        this.outbound = parts.writeBehind().lane("last-outbound", A2aProxy::touchOutbound);
        this.usage = parts.writeBehind().lane("token-usage", A2aProxy::addUsage);
    }

    /** Queued messages announced by any instance are drained by this one's next delivery too. */
    public void listenForQueued(PgListener listener) {
        listener.on(A2aQueue.CHANNEL, queue::notified);
    }

    @Override
    public void close() {
        dispatcher.close();
        capacity.close();
    }

    /** Messages the workspace is handling now, across instances (the scheduler's busy check). */
    public int inFlight(UUID workspaceId) {
        return capacity.inFlight(workspaceId);
    }

    public void onDelivered(DeliveryListener l) {
        this.listener = l;
    }

    /** Who wakes a hibernated workspace when a message arrives for it. */
    public void onWake(java.util.function.Consumer<UUID> waker) {
        this.waker = waker;
    }

    /**
     * Forwards a normalised request from {@code caller} (null = canvas / user) to {@code target}.
     * {@code sink} receives streamed events for streaming methods (null otherwise).
     */
    public ProxyResult forward(UUID target, UUID caller, ObjectNode rpc, Duration ceiling, Consumer<String> sink) {
        if (caller != null && !hierarchy.canCommunicate(caller, target)) {
            throw ApiError.forbidden("access denied: workspaces cannot communicate per hierarchy rules");
        }
        Workspace ws = awaitStarting(workspaces.findForDelivery(target).orElseThrow(() -> ApiError.notFound("workspace not found")));
        return send(ws, caller, rpc, ceiling, sink, true);
    }

    /**
     * Budget, poll mode, reachability, capacity, dispatch. A target that cannot be reached is
     * read again once ({@code retry}): a cached row may predate a restart's new URL by the few
     * milliseconds its invalidation takes.
     */
    private ProxyResult send(Workspace ws, UUID caller, ObjectNode rpc, Duration ceiling, Consumer<String> sink, boolean retry) {
        if (ws.budgetLimit() != null && ws.monthlySpend() >= ws.budgetLimit()) {
            throw new ApiError(402, "workspace budget limit exceeded");
        }
        if (PollDelivery.polls(ws)) return PollDelivery.leave(activity, ws, caller, rpc);
        Target to = target(ws);
        OptionalInt slot = capacity.tryAcquire(ws.id(), ws.maxConcurrentTasks());
        if (slot.isEmpty()) return busy(ws, caller, rpc, "at capacity");
        long start = System.nanoTime();
        Dispatch.Unreachable unreached;
        try { // the slot is held until the hop is accounted for, so the next message's log follows this one's
            String request = Json.write(rpc);
            switch (deliver(ws, to, caller, rpc, request, ceiling, sink)) {
                case Dispatch.Reply r -> {
                    return replied(ws, caller, rpc, request, r, sink != null, millisSince(start));
                }
                case Dispatch.Busy b -> {
                    return busy(ws, caller, rpc, b.reason());
                }
                case Dispatch.Failed f -> throw new ApiError(502, "failed to reach workspace agent");
                case Dispatch.Unreachable u -> unreached = u;
            }
        } finally {
            capacity.release(ws.id(), slot.getAsInt());
            if (queue.mayHaveQueued(ws.id())) Thread.startVirtualThread(() -> drain(ws.id()));
        }
        Workspace fresh = retry ? workspaces.find(ws.id()).orElse(ws) : ws;
        if (fresh.equals(ws)) throw unreachable(ws, unreached.reason());
        return send(awaitStarting(fresh), caller, rpc, ceiling, sink, false);
    }

    /**
     * A message for a workspace whose runtime is still starting waits for it (up to
     * {@link #STARTING_GRACE}) instead of failing: "create, then talk" just works.
     */
    private Workspace awaitStarting(Workspace ws) {
        long end = System.nanoTime() + STARTING_GRACE.toNanos();
        while (ws.status().equals(WorkspaceStatus.PROVISIONING) && ws.url().isEmpty() && !dispatcher.isEmbedded(ws.id())
                && !provisioner.name().equals("none") && System.nanoTime() < end) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            ws = workspaces.find(ws.id()).orElse(ws);
        }
        return ws;
    }

    /** Where a delivery goes: the URL, the address its check passed (null: the platform's own), extra headers. */
    private record Target(String url, InetAddress checked, Map<String, String> headers) {
    }

    /** Throws when the workspace cannot be reached now; else where its messages go. */
    private Target target(Workspace ws) {
        Optional<String> hop = hops.route(ws);
        if (hop.isPresent()) return new Target(hop.get(), null, Map.of(InstanceHops.HEADER, hops.token()));
        return new Target(ws.url(), checkReachable(ws), Map.of());
    }

    /** Throws when the target cannot be reached; returns the address its URL was checked at (null: ours). */
    private InetAddress checkReachable(Workspace ws) {
        if (dispatcher.isEmbedded(ws.id())) return null;
        if (ws.url().isEmpty()) {
            if (ws.status().equals(WorkspaceStatus.HIBERNATED)) {
                waker.accept(ws.id()); // upstream's wake is a no-op (spec §6 [BUG])
                throw new ApiError(503, "workspace is waking from hibernation — retry in ~15 seconds",
                        JsonMap.of("waking", true, "retry_after", 15));
            }
            throw new ApiError(503, "workspace has no URL", Map.of("status", ws.status()));
        }
        if (provisioner.ownsUrl(ws.id(), ws.url())) return null;
        UrlSafety.Inspection inspection = urlSafety.inspect(ws.url());
        if (inspection.problem().isPresent()) throw new ApiError(502, "workspace URL is not publicly routable");
        return inspection.address();
    }

    /** Delivers on a capacity slot the caller took (and gives back once the outcome is handled). */
    private Dispatch deliver(Workspace ws, Target to, UUID caller, ObjectNode rpc, String request, Duration ceiling,
                             Consumer<String> sink) {
        long start = System.nanoTime();
        if (caller != null) { // the hop leaves the caller now; its answer is logged on the target when it comes
            activity.logBehind(new ActivityService.Entry(caller, "a2a_send", caller, ws.id(), JsonRpc.method(rpc),
                    JsonRpc.method(rpc) + " → " + ws.name(), rpc, null, null, null, "ok", null), request, null);
        }
        Dispatch d = dispatcher.dispatch(ws.id(), to.url(), to.checked(), to.headers(), request, ceiling, sink);
        if (d instanceof Dispatch.Failed f) logFailure(ws, caller, rpc, f.reason(), millisSince(start));
        return d;
    }

    private ProxyResult replied(Workspace ws, UUID caller, ObjectNode rpc, String request, Dispatch.Reply r,
                                boolean streamed, int durationMs) {
        JsonNode parsed = parseObject(r.body());
        JsonNode response = parsed != null ? parsed : Json.MAPPER.createObjectNode().put("raw", truncate(r.body(), 65536));
        String responseJson = parsed != null ? r.body() : Json.write(response); // stored as the agent sent it
        String method = JsonRpc.method(rpc);
        boolean ok = r.status() < 400 && !response.has("error");
        String summary = method + " → " + ws.name();
        JsonNode trace = response.path("result").path("metadata").get("tool_trace");
        activity.logBehind(new ActivityService.Entry(ws.id(), "a2a_receive", caller, ws.id(), method, summary, rpc, response,
                trace, durationMs, ok ? "ok" : "error", ok ? null : truncate(r.body(), 4096)), request, responseJson);
        if (caller == null) {
            events.emit(EventTypes.A2A_RESPONSE, ws.id(), JsonMap.of("response_body", response, "method", method,
                    "duration_ms", durationMs));
        } else {
            outbound.add(caller);
        }
        recordUsage(ws.id(), response);
        listener.delivered(ws.id(), rpc, r.body());
        if (r.status() >= 300) {
            String err = response.path("error").isTextual() ? response.get("error").asText() : "agent returned HTTP " + r.status();
            throw new ApiError(r.status(), err);
        }
        return new ProxyResult.Replied(r.status(), r.body(), streamed);
    }

    private ProxyResult busy(Workspace ws, UUID caller, ObjectNode rpc, String reason) {
        if (declares(ws.id(), "session")) {
            throw new ApiError(503, "workspace agent busy — retry after a short backoff",
                    JsonMap.of("busy", true, "native_session", true));
        }
        String key = JsonRpc.messageId(rpc);
        try {
            A2aQueue.Enqueued q = queue.enqueue(ws.id(), caller, Json.write(rpc), JsonRpc.method(rpc),
                    key == null ? UUID.randomUUID().toString() : key);
            log.info("workspace {} busy ({}): message queued as {}", ws.id(), reason, q.id());
            return new ProxyResult.Queued(q.id(), q.depth());
        } catch (RuntimeException e) {
            throw new ApiError(503, "workspace agent busy — retry after a short backoff",
                    JsonMap.of("busy", true, "retry_after", 30));
        }
    }

    private ApiError unreachable(Workspace ws, String reason) {
        boolean marked = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE workspaces SET status = 'offline', updated_at = now()
                        WHERE id = :id AND status NOT IN ('removed', 'provisioning', 'paused', 'hibernated', 'offline')""")
                .bind("id", ws.id()).execute()) > 0;
        if (marked) events.emit(EventTypes.WORKSPACE_OFFLINE, ws.id(), Map.of());
        activity.log(new ActivityService.Entry(ws.id(), "a2a_receive", null, ws.id(), null,
                "A2A request to " + ws.name() + " failed: " + reason, null, null, null, null, "error", reason));
        Thread.startVirtualThread(() -> provisioner.restart(ws.id()));
        return new ApiError(503, "workspace agent unreachable — container restart triggered", Map.of("restarting", true));
    }

    private void logFailure(Workspace ws, UUID caller, ObjectNode rpc, String reason, int durationMs) {
        activity.logBehind(new ActivityService.Entry(ws.id(), "a2a_receive", caller, ws.id(), JsonRpc.method(rpc),
                "A2A request to " + ws.name() + " failed: " + reason, rpc, null, null, durationMs, "error", reason));
    }

    private static int millisSince(long startNanos) {
        return (int) ((System.nanoTime() - startNanos) / 1_000_000);
    }

    /**
     * Delivers queued messages while the target has capacity, oldest first. Called on each
     * heartbeat and whenever a delivery to the target ends.
     */
    public void drain(UUID target) {
        while (true) {
            Workspace ws = workspaces.find(target).orElse(null);
            if (ws == null || ws.status().equals(WorkspaceStatus.REMOVED) || ws.status().equals(WorkspaceStatus.PAUSED)) return;
            if (PollDelivery.polls(ws) || !queue.hasQueued(target)) return;
            OptionalInt slot = capacity.tryAcquire(target, ws.maxConcurrentTasks());
            if (slot.isEmpty()) return;
            A2aQueue.Item item = queue.claimNext(target).orElse(null);
            if (item == null) {
                capacity.release(target, slot.getAsInt());
                return;
            }
            ObjectNode rpc = (ObjectNode) Json.parse(item.body());
            long start = System.nanoTime();
            Target to;
            try {
                to = target(ws);
            } catch (ApiError unreachableNow) {
                capacity.release(target, slot.getAsInt());
                queue.requeue(item.id());
                return;
            }
            try { // this loop takes the next message itself once this one is accounted for
                switch (deliver(ws, to, item.callerId(), rpc, item.body(), AGENT_CEILING, null)) {
                    case Dispatch.Reply r -> {
                        queue.completed(item.id());
                        try {
                            replied(ws, item.callerId(), rpc, item.body(), r, false, millisSince(start));
                        } catch (ApiError agentError) {
                            log.info("queued message {} answered with an error: {}", item.id(), agentError.getMessage());
                        }
                    }
                    case Dispatch.Busy b -> {
                        queue.requeue(item.id());
                        return;
                    }
                    case Dispatch.Unreachable u -> {
                        queue.failedAttempt(item.id(), u.reason());
                        unreachable(ws, u.reason());
                        return;
                    }
                    case Dispatch.Failed f -> {
                        queue.failedAttempt(item.id(), f.reason());
                        return;
                    }
                }
            } finally {
                capacity.release(target, slot.getAsInt());
            }
        }
    }

    /**
     * The periodic upkeep of deliveries (every instance runs it): this instance's queue leases
     * are renewed; rows whose lease ran out and the capacity slots of instances that stopped
     * answering are released, and those workspaces' queues drained.
     */
    public void sweep(Duration instanceTimeout, String selfUrl) {
        hops.advertise(selfUrl);
        queue.renewLeases();
        List<String> silent = hops.forgetSilent(instanceTimeout);
        Set<UUID> freed = new LinkedHashSet<>(queue.releaseExpired());
        for (String gone : silent) {
            log.info("platform instance {} stopped answering: releasing its capacity slots and deliveries", gone);
            freed.addAll(capacity.releaseAllOf(gone));
            freed.addAll(queue.releaseHeldBy(gone));
        }
        freed.forEach(id -> Thread.startVirtualThread(() -> drain(id)));
    }

    /** At start-up: whatever this instance held when it last stopped is given back. */
    public void releaseOwnLeftovers() {
        capacity.releaseAllOf(instanceId);
        queue.releaseHeldBy(instanceId);
    }

    public int dropStale(int maxAgeMinutes, UUID workspaceId) {
        return queue.dropStale(maxAgeMinutes, workspaceId);
    }

    private boolean declares(UUID id, String capability) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT coalesce((runtime_metadata->'capabilities'->>:cap)::boolean, false) FROM workspaces WHERE id = :id")
                .bind("cap", capability).bind("id", id).mapTo(Boolean.class).findOne().orElse(false));
    }

    private record Usage(UUID workspaceId, long in, long out) {
    }

    /** Token usage from result.usage, result.metadata.usage or top-level usage, counted in the background. */
    private void recordUsage(UUID ws, JsonNode response) {
        JsonNode result = response.path("result");
        JsonNode u = result.has("usage") ? result.path("usage")
                : result.path("metadata").has("usage") ? result.path("metadata").path("usage") : response.path("usage");
        long in = u.path("input_tokens").asLong(0), out = u.path("output_tokens").asLong(0);
        if (in > 0 || out > 0) usage.add(new Usage(ws, in, out));
    }

    /** Accumulated per workspace and UTC day ($3/M in, $15/M out), one upsert per workspace in the batch. */
    private static void addUsage(Handle h, List<Usage> items) {
        Map<UUID, long[]> sums = new LinkedHashMap<>();
        for (Usage u : items) {
            long[] s = sums.computeIfAbsent(u.workspaceId(), k -> new long[3]);
            s[0] += u.in();
            s[1] += u.out();
            s[2]++;
        }
        var batch = h.prepareBatch("""
                INSERT INTO workspace_token_usage (workspace_id, period_start, input_tokens, output_tokens, call_count, estimated_cost_usd)
                VALUES (:ws, date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', :in, :out, :calls, :cost)
                ON CONFLICT (workspace_id, period_start) DO UPDATE SET
                  input_tokens = workspace_token_usage.input_tokens + excluded.input_tokens,
                  output_tokens = workspace_token_usage.output_tokens + excluded.output_tokens,
                  call_count = workspace_token_usage.call_count + excluded.call_count,
                  estimated_cost_usd = workspace_token_usage.estimated_cost_usd + excluded.estimated_cost_usd,
                  updated_at = now()""");
        sums.forEach((ws, s) -> batch.bind("ws", ws).bind("in", s[0]).bind("out", s[1]).bind("calls", s[2])
                .bind("cost", (s[0] * 3.0 + s[1] * 15.0) / 1_000_000).add());
        batch.execute();
    }

    private static void touchOutbound(Handle h, List<UUID> callers) {
        h.createUpdate("UPDATE workspaces SET last_outbound_at = now() WHERE id = ANY(:ids)")
                .bind("ids", callers.stream().distinct().toArray(UUID[]::new)).execute();
    }

    /** The body as a JSON object; null when it is not one (kept as text under "raw"). */
    private static JsonNode parseObject(String body) {
        try {
            JsonNode n = WHOLE_BODY.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (Exception notJson) {
            return null;
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
