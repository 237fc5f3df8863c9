package dev.wisp.server;

import dev.wisp.invoker.InvokerConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one Wisp server.
 *
 * @param insecureLocal no authentication: every request acts as tenant "default" (demos only)
 * @param tenantConcurrency concurrent executions a tenant may use across its functions
 * @param asyncBackoff first retry delay of a failed event; doubled for the second
 * @param prewarmMax stem cells (prewarmed generic runtimes) kept at most; 0 turns prewarming off
 * @param telemetry store, metrics, traces and cost settings
 * @param detection live detection, incident sinks and mitigation
 */
public record ServerConfig(String host, int port, Path dataDir, boolean insecureLocal, Duration keepAlive,
                           int maxInstancesPerFunction, int maxInstancesHost, int tenantConcurrency,
                           Duration asyncBackoff, InvokerConfig.Isolation isolation, int prewarmMax,
                           TelemetrySettings telemetry, DetectionSettings detection) {
    public ServerConfig {
        if (detection == null) detection = DetectionSettings.DEFAULTS;
        // instances start in their own working directory: every path handed to them must be absolute
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** With the default detection settings. */
    public ServerConfig(String host, int port, Path dataDir, boolean insecureLocal, Duration keepAlive,
                        int maxInstancesPerFunction, int maxInstancesHost, int tenantConcurrency,
                        Duration asyncBackoff, InvokerConfig.Isolation isolation, int prewarmMax,
                        TelemetrySettings telemetry) {
        this(host, port, dataDir, insecureLocal, keepAlive, maxInstancesPerFunction, maxInstancesHost, tenantConcurrency,
                asyncBackoff, isolation, prewarmMax, telemetry, DetectionSettings.DEFAULTS);
    }

    public static ServerConfig defaults(Path dataDir, int port) {
        return new ServerConfig("127.0.0.1", port, dataDir, false, Duration.ofMinutes(10), 32, 64, 1000,
                Duration.ofSeconds(1), InvokerConfig.Isolation.AUTO, 4, TelemetrySettings.DEFAULTS);
    }

    dev.wisp.telemetry.model.PriceTable prices() { return telemetry.prices(); }

    InvokerConfig invoker() {
        return new InvokerConfig(dataDir, keepAlive, maxInstancesPerFunction, maxInstancesHost, 1000, isolation, prewarmMax);
    }
}
