package dev.wisp.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/** The sampled gauges of one function (instances by state, concurrency, memory) and their latest values. */
final class FunctionSeries {
    /** Samples come once a second; an instance reading older than two ticks belongs to a gone instance. */
    static final long MEMORY_FRESH_MILLIS = 2_000;
    private static final String[] STATES = {"idle", "busy", "initializing"};

    private final TickSum states = new TickSum(STATES.length);
    private final TickSum load = new TickSum(2); // concurrent, queued
    private final InstanceMemory memory = new InstanceMemory();
    private final List<Meter> meters;
    private volatile long newestSample = Long.MIN_VALUE;
    private volatile long lastSeenMillis;

    FunctionSeries(MeterRegistry registry, String tenant, String function) {
        Tags fn = Labels.function(tenant, function);
        Meter[] m = new Meter[STATES.length + 3];
        for (int i = 0; i < STATES.length; i++) {
            int slot = i;
            m[i] = Gauge.builder("wisp.instances", this, s -> s.states.get(slot))
                    .description("Instances of the function by state").tags(fn).tag("state", STATES[i]).register(registry);
        }
        m[3] = Gauge.builder("wisp.concurrent.executions", this, s -> s.load.get(0))
                .description("Invocations running now").tags(fn).register(registry);
        m[4] = Gauge.builder("wisp.queued.requests", this, s -> s.load.get(1))
                .description("Requests waiting for an instance").tags(fn).register(registry);
        m[5] = Gauge.builder("wisp.function.memory.used", this, FunctionSeries::memoryBytes).baseUnit("bytes")
                .description("Resident memory of the function's instances (process trees)").tags(fn).register(registry);
        this.meters = List.of(m);
    }

    void instances(long timestamp, int idle, int busy, int initializing) {
        states.add(timestamp, idle, busy, initializing);
        sampled(timestamp);
    }

    void load(long timestamp, int concurrent, int queued) {
        load.add(timestamp, concurrent, queued);
        sampled(timestamp);
    }

    void memory(String instanceId, long timestamp, long rssBytes) {
        sampled(timestamp);
        memory.put(instanceId, timestamp, rssBytes, newestSample - MEMORY_FRESH_MILLIS);
    }

    /**
     * Function samples keep arriving while the function has a pool even with no instances, so the
     * newest sample of any kind tells when an instance has stopped reporting.
     */
    private double memoryBytes() {
        return memory.total(newestSample - MEMORY_FRESH_MILLIS);
    }

    private void sampled(long timestamp) {
        if (timestamp > newestSample) newestSample = timestamp;
    }

    void seen(long nowMillis) {
        lastSeenMillis = nowMillis;
    }

    long lastSeenMillis() {
        return lastSeenMillis;
    }

    void unregister(MeterRegistry registry) {
        meters.forEach(registry::remove);
    }
}
