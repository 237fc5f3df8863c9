package dev.wisp.bench.scenario;

/** The platform's limits for a scenario; the defaults are {@code wisp serve}'s. */
public record PlatformSettings(double keepAliveSeconds, int maxInstancesPerFunction, int accountConcurrency,
                               double hostCpuMillicores, int prewarmPool) {
    public static final PlatformSettings DEFAULTS = new PlatformSettings(600, 32, 1000, 2000, 0);
}
