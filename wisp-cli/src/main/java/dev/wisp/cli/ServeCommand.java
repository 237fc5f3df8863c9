package dev.wisp.cli;

import dev.wisp.invoker.InvokerConfig;
import dev.wisp.server.ServerConfig;
import dev.wisp.server.WispServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wisp serve}: the whole platform in this process until interrupted. */
@Command(name = "serve", description = "Run the Wisp platform on 127.0.0.1:PORT with state under DIR.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "9000", description = "API port (0 picks a free one). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--data", defaultValue = "data", description = "Data directory. Default: ${DEFAULT-VALUE}")
    Path data;

    @Option(names = "--insecure-local", description = "Turn authentication off: every request is tenant 'default'. Demos only.")
    boolean insecureLocal;

    @Option(names = "--keep-alive", defaultValue = "PT10M", description = "Idle time before an instance is evicted (ISO-8601). Default: ${DEFAULT-VALUE}")
    Duration keepAlive;

    @Option(names = "--max-instances-per-function", defaultValue = "32")
    int maxPerFunction;

    @Option(names = "--max-instances", defaultValue = "64", description = "Instances on this host across all functions.")
    int maxHost;

    @Option(names = "--tenant-concurrency", defaultValue = "1000")
    int tenantConcurrency;

    @Option(names = "--prewarm", defaultValue = "4", description = "Stem cells (prewarmed generic runtimes) kept at most; 0 turns prewarming off. Default: ${DEFAULT-VALUE}")
    int prewarm;

    @Option(names = "--isolation", defaultValue = "AUTO", description = "AUTO, NAMESPACES, NAMESPACES_SCRIPT or PROCESS")
    InvokerConfig.Isolation isolation;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig base = ServerConfig.defaults(data, port);
        ServerConfig config = new ServerConfig(base.host(), port, data, insecureLocal, keepAlive, maxPerFunction, maxHost,
                tenantConcurrency, base.asyncBackoff(), isolation, prewarm, base.telemetry());
        WispServer server = new WispServer(config);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }, "wisp-shutdown"));
        server.firstAdminKey().ifPresent(k -> System.out.println("admin key: " + k.accessKeyId() + " " + k.secretAccessKey()));
        if (insecureLocal) {
            System.out.println("WARNING: --insecure-local: authentication is OFF; anyone who can reach the port acts as tenant 'default'");
        }
        System.out.println("instances: " + server.isolation());
        System.out.println("data: " + data.toAbsolutePath());
        System.out.println("listening on http://127.0.0.1:" + server.port());
        System.out.flush();
        stop.await();
        return 0;
    }
}
