package ai.molecule.runtime;

import ai.molecule.runtime.a2a.A2aEndpoint;
import ai.molecule.runtime.a2a.A2aHttp;
import io.javalin.Javalin;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Process mode: one workspace runtime in its own JVM, serving A2A on 127.0.0.1. A start-up
 * failure prints one line and exits 1; SIGTERM closes the runtime.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        try {
            run(ProcessEnv.from(System.getenv()));
        } catch (RuntimeStartException e) {
            System.err.println("molecule runtime: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(ProcessEnv env) throws RuntimeStartException {
        AtomicReference<WorkspaceRuntime> runtime = new AtomicReference<>();
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = env.port();
            A2aHttp.mount(cfg.routes, "/", () -> {
                WorkspaceRuntime r = runtime.get();
                A2aEndpoint e = r == null ? null : r.endpoint();
                return e == null ? StartingEndpoint.INSTANCE : e;
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            throw new RuntimeStartException("cannot listen on 127.0.0.1:" + env.port() + ": " + e.getMessage());
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        RuntimeSettings settings = new RuntimeSettings(env.workspaceId(), env.platformUrl(), env.configDir(),
                env.agentEnv(), "http://127.0.0.1:" + app.port(), http);
        try {
            runtime.set(WorkspaceRuntime.start(settings, new DefaultComponents()));
        } catch (RuntimeStartException e) {
            app.stop();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.get().close();
            app.stop();
        }, "runtime-shutdown"));
    }
}
