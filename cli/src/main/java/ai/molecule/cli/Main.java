package ai.molecule.cli;

import ai.molecule.platform.Platform;
import ai.molecule.platform.PlatformConfig;
import ai.molecule.platform.StartupException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code molecule}: with no arguments, or {@code serve}, starts the platform. */
@Command(name = "molecule", mixinStandardHelpOptions = true, version = "molecule 0.1.0",
        description = "Org-native control plane for teams of AI agents.",
        subcommands = {Main.Serve.class})
public final class Main implements java.util.concurrent.Callable<Integer> {

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
        return new Serve().call();
    }

    @Command(name = "serve", description = "Start the platform (the default). Configured by environment variables: "
            + "PORT, BIND_ADDRESS, DATABASE_URL, MOLECULE_HOME, ADMIN_TOKEN, MOLECULE_ENV, ...")
    static final class Serve implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Option(names = "--port", description = "Port to listen on (overrides PORT).")
        Integer port;

        @Override
        public Integer call() {
            Map<String, String> env = new HashMap<>(System.getenv());
            if (port != null) env.put("PORT", String.valueOf(port));
            Platform platform;
            try {
                platform = Platform.start(PlatformConfig.fromEnv(env));
            } catch (StartupException | IllegalArgumentException e) {
                System.err.println("molecule: " + e.getMessage());
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                platform.close();
                stopped.countDown();
            }, "molecule-shutdown"));
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
    }
}
