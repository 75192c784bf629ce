package ai.molecule.platform;

import ai.molecule.platform.a2a.A2aProxy;
import ai.molecule.platform.a2a.InstanceHops;
import ai.molecule.platform.a2a.A2aRoutes;
import ai.molecule.platform.a2a.DelegationRoutes;
import ai.molecule.platform.a2a.DelegationService;
import ai.molecule.platform.a2a.RestartContext;
import ai.molecule.platform.activity.ActivityRoutes;
import ai.molecule.platform.activity.ActivityService;
import ai.molecule.platform.approvals.ApprovalRoutes;
import ai.molecule.platform.approvals.ApprovalService;
import ai.molecule.platform.budget.BudgetRoutes;
import ai.molecule.platform.budget.BudgetService;
import ai.molecule.platform.bundles.BundleExporter;
import ai.molecule.platform.bundles.BundleImporter;
import ai.molecule.platform.bundles.BundleRoutes;
import ai.molecule.platform.canvas.ViewportRoutes;
import ai.molecule.platform.db.Database;
import ai.molecule.platform.db.DatabaseUrl;
import ai.molecule.platform.db.EmbeddedDatabase;
import ai.molecule.platform.db.Invalidations;
import ai.molecule.platform.db.PgListener;
import ai.molecule.platform.db.WriteBehind;
import ai.molecule.platform.events.EventBus;
import ai.molecule.platform.events.EventRoutes;
import ai.molecule.platform.events.EventSocket;
import ai.molecule.platform.events.EventStream;
import ai.molecule.platform.events.PgEventRelay;
import ai.molecule.platform.files.FileRoutes;
import ai.molecule.platform.files.WorkspaceFileService;
import ai.molecule.platform.health.HealthRoutes;
import ai.molecule.platform.org.OrgImporter;
import ai.molecule.platform.org.OrgRoutes;
import ai.molecule.platform.teams.AgentSlots;
import ai.molecule.platform.teams.TeamRoutes;
import ai.molecule.platform.teams.TeamService;
import ai.molecule.platform.templates.TemplateCatalog;
import ai.molecule.platform.templates.TemplateRoutes;
import ai.molecule.platform.health.Subsystems;
import ai.molecule.platform.health.SupervisedLoop;
import ai.molecule.platform.hierarchy.Hierarchy;
import ai.molecule.platform.http.Auth;
import ai.molecule.platform.http.HttpMetrics;
import ai.molecule.platform.http.HttpServer;
import ai.molecule.platform.http.WorkspaceScope;
import ai.molecule.platform.memory.KeyValueRoutes;
import ai.molecule.platform.memory.KeyValueService;
import ai.molecule.platform.memory.MemoryRoutes;
import ai.molecule.platform.memory.MemoryService;
import ai.molecule.platform.memory.MemoryTransfer;
import ai.molecule.platform.plugins.PluginAllowlist;
import ai.molecule.platform.plugins.PluginRegistry;
import ai.molecule.platform.plugins.PluginRoutes;
import ai.molecule.platform.plugins.PluginService;
import ai.molecule.platform.provisioner.ConsoleRoutes;
import ai.molecule.platform.provisioner.EmbeddedAgentRoutes;
import ai.molecule.platform.provisioner.LaunchPlans;
import ai.molecule.platform.provisioner.Provisioner;
import ai.molecule.platform.provisioner.Provisioners;
import ai.molecule.platform.provisioner.WorkspaceFiles;
import ai.molecule.platform.registry.LivenessSweeper;
import ai.molecule.platform.registry.RegistryRoutes;
import ai.molecule.platform.registry.RegistryService;
import ai.molecule.platform.registry.UrlSafety;
import ai.molecule.platform.schedules.ScheduleRoutes;
import ai.molecule.platform.schedules.ScheduleService;
import ai.molecule.platform.schedules.Scheduler;
import ai.molecule.platform.secrets.SecretCipher;
import ai.molecule.platform.secrets.SecretKeys;
import ai.molecule.platform.secrets.SecretRoutes;
import ai.molecule.platform.secrets.SecretService;
import ai.molecule.platform.tokens.TokenRoutes;
import ai.molecule.platform.tokens.TokenService;
import ai.molecule.platform.workspace.LifecycleRoutes;
import ai.molecule.platform.workspace.WorkspaceCreator;
import ai.molecule.platform.workspace.WorkspaceLifecycle;
import ai.molecule.platform.workspace.WorkspaceRepository;
import ai.molecule.platform.workspace.WorkspaceRoutes;
import ai.molecule.platform.workspace.WorkspaceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

/**
 * The composition root: starts the database (embedded unless DATABASE_URL is set), wires
 * every feature, serves HTTP and runs the sweeps. Closing it stops all of that in reverse.
 */
public final class Platform implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Platform.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private HttpServer http;
    private TokenService tokens;
    private Database database;
    private Scheduler scheduler;

    private Platform() {
    }

    public static Platform start(PlatformConfig config) {
        Platform p = new Platform();
        try {
            p.boot(config);
            return p;
        } catch (RuntimeException | IOException e) {
            p.close();
            if (e instanceof StartupException se) throw se;
            throw new StartupException(describe(e));
        }
    }

    private void boot(PlatformConfig config) throws IOException {
        checkBindPolicy(config);
        checkPortFree(config);
        database = Database.connect(DatabaseUrl.parse(openDatabaseUrl(config)));
        resources.push(database);
        var jdbi = database.jdbi();

        byte[] secretsKey = SecretKeys.load(config.secretsEncryptionKey(), writableHome(config), config.production());
        SecretCipher cipher = new SecretCipher(secretsKey);
        String instanceId = InstanceId.resolve(config);
        WriteBehind writeBehind = new WriteBehind(database.relaxed());
        resources.push(writeBehind);
        PgListener listener = new PgListener(database.dataSource());
        Invalidations invalidations = new Invalidations(listener);
        tokens = new TokenService(jdbi, invalidations, writeBehind);
        EventBus events = new EventBus(jdbi);
        new PgEventRelay(listener, jdbi, events, instanceId, writeBehind);
        Hierarchy hierarchy = new Hierarchy(jdbi, invalidations);
        Auth auth = new Auth(config, tokens);
        WorkspaceScope scope = new WorkspaceScope(auth);
        HttpMetrics metrics = new HttpMetrics();
        Subsystems subsystems = new Subsystems(jdbi);
        UrlSafety urlSafety = new UrlSafety(config.devEnvironment());
        WorkspaceRepository workspaces = new WorkspaceRepository(jdbi, invalidations);
        SecretService secrets = new SecretService(jdbi, cipher);
        ActivityService activity = new ActivityService(jdbi, events, writeBehind);

        WorkspaceFiles configDirs = new WorkspaceFiles(jdbi, config.home());
        WorkspaceFileService fileService = new WorkspaceFileService(jdbi, configDirs, config.home());
        LaunchPlans plans = new LaunchPlans(jdbi, configDirs, secrets, tokens, events, this::selfUrl,
                id -> fileService.root(id, "/workspace"));
        Provisioners provisioners = Provisioners.choose(config, plans, instanceId);
        Provisioner provisioner = provisioners.provisioner();
        WorkspaceLifecycle lifecycle = new WorkspaceLifecycle(jdbi, workspaces, hierarchy, events, provisioner);
        InstanceHops hops = new InstanceHops(jdbi, instanceId, secretsKey);
        A2aProxy proxy = new A2aProxy(database, new A2aProxy.Parts(workspaces, activity, events, hierarchy,
                provisioners.directory(), urlSafety, provisioner, writeBehind, hops), instanceId, config.a2aIdleTimeout(), config.a2aLease());
        resources.push(proxy);
        proxy.listenForQueued(listener);
        resources.push(listener.start());
        proxy.onWake(lifecycle::wake);
        RestartContext restartContext = new RestartContext(proxy, workspaces, secrets);
        lifecycle.onRestarted(restartContext::afterRestart);
        RegistryService registry = new RegistryService(jdbi, tokens, events, "none".equals(provisioner.name()));
        registry.onCapacity(proxy::drain);
        Clock clock = Clock.systemUTC();
        scheduler = new Scheduler(jdbi, proxy, activity, events, clock, config.schedulerBusyWait());
        resources.push(scheduler);

        TemplateCatalog templates = TemplateCatalog.standard(config.home(), config.configsDir());
        WorkspaceCreator creator = new WorkspaceCreator(jdbi, secrets, tokens, events, provisioner, urlSafety, config.configsDir(),
                templates, configDirs);
        String externalUrl = System.getenv("EXTERNAL_PLATFORM_URL");
        WorkspaceService workspaceService = new WorkspaceService(jdbi, workspaces, hierarchy, tokens, events, provisioner);
        PluginAllowlist allowlist = new PluginAllowlist(jdbi);

        http = new HttpServer(config, metrics, List.of(
                new HealthRoutes(metrics, subsystems, auth),
                new WorkspaceRoutes(workspaces, creator,
                        workspaceService,
                        scope, externalUrl),
                new LifecycleRoutes(lifecycle, scope, jdbi),
                new ConsoleRoutes(provisioners, auth),
                new RegistryRoutes(registry, workspaces, hierarchy, auth, urlSafety, provisioner::ownsUrl),
                new A2aRoutes(proxy, tokens, auth, hops, provisioners.directory()),
                new DelegationRoutes(new DelegationService(jdbi, events, proxy, hierarchy), scope),
                new EmbeddedAgentRoutes(provisioners.directory()),
                new ActivityRoutes(activity, scope, workspaces, events),
                new EventRoutes(jdbi, auth),
                new EventSocket(events, hierarchy, tokens, auth, metrics, config.corsOriginsExplicit()),
                new EventStream(events, scope, workspaces),
                new TokenRoutes(tokens, scope, workspaces, config),
                new SecretRoutes(secrets, scope, workspaces, new SecretRoutes.SecretChanges() {
                    @Override
                    public void workspaceSecretChanged(UUID workspaceId) {
                        lifecycle.autoRestart(workspaceId);
                    }

                    @Override
                    public void globalSecretChanged(String key) {
                        lifecycle.globalSecretChanged(key);
                    }
                }),
                new ViewportRoutes(jdbi, auth),
                new BudgetRoutes(new BudgetService(jdbi), scope),
                new MemoryRoutes(new MemoryService(jdbi, hierarchy, activity), new MemoryTransfer(jdbi), scope),
                new KeyValueRoutes(new KeyValueService(jdbi), scope),
                new ApprovalRoutes(new ApprovalService(jdbi, events, hierarchy), scope),
                new ScheduleRoutes(new ScheduleService(jdbi, clock), scheduler, scope, hierarchy),
                new FileRoutes(fileService, scope),
                new OrgRoutes(templates, new OrgImporter(jdbi, creator, secrets, configDirs, lifecycle::autoRestart), auth,
                        ctx -> WorkspaceRoutes.platformUrl(ctx, externalUrl)),
                new TemplateRoutes(templates, auth),
                new PluginRoutes(new PluginService(jdbi, PluginRegistry.standard(config.home(), config.configsDir()), allowlist,
                        hierarchy, configDirs, config.pluginMaxDirBytes()), allowlist, scope),
                new TeamRoutes(new TeamService(jdbi, creator, workspaceService, templates, configDirs, events),
                        new AgentSlots(jdbi, events, lifecycle::autoRestart), scope, ctx -> WorkspaceRoutes.platformUrl(ctx, externalUrl)),
                new BundleRoutes(new BundleExporter(jdbi, configDirs), new BundleImporter(jdbi, creator, configDirs), auth,
                        ctx -> WorkspaceRoutes.platformUrl(ctx, externalUrl))));
        try {
            http.start();
        } catch (RuntimeException e) {
            if (causedBy(e, BindException.class)) throw portInUse(config);
            throw e;
        }
        resources.push(http::stop);
        resources.push(provisioners); // closed before the HTTP server: runtimes stop while the platform still answers

        LivenessSweeper sweeper = new LivenessSweeper(jdbi, events, config, subsystems);
        sweeper.start();
        resources.push(sweeper);
        hops.advertise(selfUrl());
        proxy.releaseOwnLeftovers();
        resources.push(SupervisedLoop.start("a2a-delivery-sweep", config.a2aLease().dividedBy(3), subsystems,
                () -> proxy.sweep(config.a2aLease(), selfUrl())));
        scheduler.repairNextRuns();
        resources.push(SupervisedLoop.start("scheduler", config.schedulerInterval(), subsystems, scheduler::tick));
        provisioners.resumeOwned(jdbi, instanceId);
        log.info("Molecule platform listening on http://{}:{} (provisioner: {})", config.host(), http.port(), provisioner.name());
    }

    private String openDatabaseUrl(PlatformConfig config) throws IOException {
        if (config.databaseUrl() != null) return config.databaseUrl();
        EmbeddedDatabase embedded = EmbeddedDatabase.start(writableHome(config));
        resources.push(embedded);
        return embedded.jdbcUrl();
    }

    /** Beyond upstream: never expose an unauthenticated control plane to the network by accident. */
    private static void checkBindPolicy(PlatformConfig config) throws IOException {
        boolean loopback;
        try {
            loopback = InetAddress.getByName(config.host()).isLoopbackAddress();
        } catch (IOException e) {
            throw new StartupException("cannot resolve bind address " + config.host());
        }
        if (!loopback && config.adminToken() == null && !config.devEnvironment()) {
            throw new StartupException("refusing to listen on " + config.host()
                    + " without ADMIN_TOKEN: set ADMIN_TOKEN (or MOLECULE_ENV=development) to serve beyond this machine");
        }
    }

    private static void checkPortFree(PlatformConfig config) {
        if (config.port() == 0) return;
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(config.host(), config.port()));
        } catch (IOException e) {
            throw portInUse(config);
        }
    }

    private static StartupException portInUse(PlatformConfig config) {
        return new StartupException("port " + config.port() + " on " + config.host()
                + " is already in use (set PORT to choose another)");
    }

    private static Path writableHome(PlatformConfig config) {
        Path home = config.home();
        try {
            Files.createDirectories(home);
            Path probe = Files.createTempFile(home, ".write-check", "");
            Files.delete(probe);
            return home;
        } catch (IOException | SecurityException e) {
            throw new StartupException("data directory " + home
                    + " is not writable (set MOLECULE_HOME to a writable directory)");
        }
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) if (type.isInstance(c)) return true;
        return false;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "could not start: " + msg.lines().findFirst().orElse(msg);
    }

    /** A new bearer of workspace {@code id}, for the operator's own command line (the demo). */
    public String mintToken(String id) {
        return tokens.mint(UUID.fromString(id));
    }

    public int port() {
        return http.port();
    }

    /** The platform's own base URL as its runtimes reach it (loopback, the real port). */
    private String selfUrl() {
        return "http://127.0.0.1:" + http.port();
    }

    public Database database() {
        return database;
    }

    /** The cron scheduler, for tests that drive it at chosen instants. */
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public synchronized void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                log.warn("error during shutdown: {}", e.toString());
            }
        }
    }
}
