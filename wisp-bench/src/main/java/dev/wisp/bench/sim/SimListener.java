package dev.wisp.bench.sim;

/** Receives a simulation's telemetry, in nondecreasing time order, all on the simulating thread. */
public interface SimListener {
    /** An InvocationRecord, PlatformEvent, ResourceSample or LogLine of {@code dev.wisp.telemetry.model}. */
    void telemetry(Object item);

    /**
     * Once per virtual second: {@code epochMillis} is that second's end; every item stamped before it
     * has been delivered.
     */
    void tick(long epochMillis);
}
