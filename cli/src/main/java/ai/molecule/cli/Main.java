package ai.molecule.cli;

import ai.molecule.platform.Platform;
import ai.molecule.platform.PlatformConfig;
import ai.molecule.platform.StartupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** {@code molecule}: with no arguments, or {@code serve}, starts the platform (same options either way). */
@Command(name = "molecule", mixinStandardHelpOptions = true, version = "molecule 0.1.0",
        description = "Org-native control plane for teams of AI agents.",
        subcommands = {Main.Serve.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Mixin
    ServeOptions options = new ServeOptions();

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "info"));
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.zonky", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /** Without a subcommand: serve, and keep its exit code (1 on a start-up error). */
    @Override
    public Integer call() {
        Serve serve = new Serve();
        serve.options = options;
        return serve.call();
    }

    /** The options of serving, on both {@code molecule} and {@code molecule serve}. */
    static final class ServeOptions {
        @CommandLine.Option(names = "--port", description = "Port to listen on (overrides PORT).")
        Integer port;

        @CommandLine.Option(names = "--demo", description = "On an empty platform, create a demo org (PM, Dev Lead, "
                + "Researcher): on the scripted model, or on Anthropic/OpenAI when ANTHROPIC_API_KEY/OPENAI_API_KEY is set.")
        boolean demo;
    }

    @Command(name = "serve", description = "Start the platform (the default). Configured by environment variables: "
            + "PORT, BIND_ADDRESS, DATABASE_URL, MOLECULE_HOME, ADMIN_TOKEN, MOLECULE_ENV, ...")
    static final class Serve implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Mixin
        ServeOptions options = new ServeOptions();

        @Override
        public Integer call() {
            Map<String, String> env = new HashMap<>(System.getenv());
            if (options.port != null) env.put("PORT", String.valueOf(options.port));
            // The hook is in place before anything starts: a SIGTERM that lands while the platform
            // is still starting (it answers /health early) waits for the start, then stops it
            // cleanly, instead of exiting and leaving the embedded Postgres running.
            CountDownLatch startFinished = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            AtomicReference<Platform> running = new AtomicReference<>();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    startFinished.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Platform started = running.get();
                if (started != null) started.close();
                stopped.countDown();
            }, "molecule-shutdown"));
            Platform platform;
            try {
                platform = Platform.start(PlatformConfig.fromEnv(env));
                running.set(platform);
            } catch (StartupException | IllegalArgumentException e) {
                System.err.println("molecule: " + e.getMessage());
                return 1;
            } finally {
                startFinished.countDown();
            }
            if (options.demo) demo(platform, env);
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }

        /** A demo that cannot be created is reported, and the platform keeps serving. */
        private static void demo(Platform platform, Map<String, String> env) {
            try {
                System.out.println(new DemoOrg("http://127.0.0.1:" + platform.port(), env, platform::mintToken).run());
            } catch (java.io.IOException e) {
                System.err.println("molecule: demo org not created: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
