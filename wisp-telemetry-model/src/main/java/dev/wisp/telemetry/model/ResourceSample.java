package dev.wisp.telemetry.model;

/**
 * A once-a-second reading. {@code scope} says what it describes: an instance (cpu and rss of that
 * process), the host, or a function's instance counts.
 */
public record ResourceSample(long timestamp, Scope scope, String tenant, String functionName,
                             String instanceId, double cpuMillicores, long rssBytes,
                             int idle, int busy, int initializing) {
    public enum Scope { INSTANCE, HOST, FUNCTION }
}
