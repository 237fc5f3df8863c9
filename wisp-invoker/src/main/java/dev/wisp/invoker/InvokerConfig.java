package dev.wisp.invoker;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The invoker's settings.
 *
 * @param keepAlive       how long an idle instance is kept before it is evicted (scale to zero)
 * @param maxInstancesPerFunction default cap per function version
 * @param maxInstancesHost cap across all functions on this host
 * @param maxQueuePerFunction requests that may wait for an instance before throttling
 * @param isolation       whether to run instances in namespaces with cgroup limits
 * @param prewarmMax      stem cells (prewarmed generic runtimes) kept at most; 0 turns prewarming off
 */
public record InvokerConfig(Path dataDir, Duration keepAlive, int maxInstancesPerFunction,
                            int maxInstancesHost, int maxQueuePerFunction, Isolation isolation, int prewarmMax) {
    public InvokerConfig {
        // instances start in their own working directory: every path handed to them must be absolute
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    public enum Isolation {
        /** pid + mount namespaces, read-only code, cgroup memory limit, unprivileged user. */
        NAMESPACES,
        /** as NAMESPACES, set up by sandbox.sh instead of the native helper (hosts without a C compiler; tests). */
        NAMESPACES_SCRIPT,
        /** plain child processes; only the memory limit through cgroups when writable. */
        PROCESS,
        /** pick NAMESPACES when the host allows it. */
        AUTO
    }

    public static InvokerConfig defaults(Path dataDir) {
        return new InvokerConfig(dataDir, Duration.ofMinutes(10), 32, 64, 1000, Isolation.AUTO, 4);
    }
}
