package dev.wisp.invoker;

import dev.wisp.common.Clock;
import dev.wisp.common.Scheduler;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.PlatformEvent.InstanceTransition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * All instances on this host, grouped per function version. Enforces the host-wide instance cap
 * (evicting the least recently used idle instance of another function when full), keep-alive and
 * scale to zero. A cold start of one function never holds a lock another function needs.
 */
public final class InstancePool implements AutoCloseable {
    private final InvokerConfig config;
    private final InstanceBackend backend;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Consumer<Object> telemetry;
    private final Map<String, FunctionPool> pools = new ConcurrentHashMap<>();
    private final Set<FunctionPool> starved = ConcurrentHashMap.newKeySet();
    private final AtomicInteger hostInstances = new AtomicInteger();
    private final AtomicLong instanceSeq = new AtomicLong();
    private final Scheduler.Cancellable sweeper;

    public InstancePool(InvokerConfig config, InstanceBackend backend, Clock clock, Scheduler scheduler,
                        Consumer<Object> telemetry) {
        this.config = config;
        this.backend = backend;
        this.clock = clock;
        this.scheduler = scheduler;
        this.telemetry = telemetry;
        this.sweeper = scheduler.every(1000, this::evictExpired);
    }

    /**
     * Runs one invocation on a warm instance, or a cold one started for it.
     *
     * @return the result, or null when the function's queue is full (the caller throttles)
     */
    public CompletableFuture<InvocationResult> invoke(FunctionSpec spec, InvocationRequest request) {
        return poolFor(spec).invoke(request);
    }

    /** Provisioned concurrency: keep {@code count} initialised instances of this version. */
    public void provision(FunctionSpec spec, int count) {
        poolFor(spec).provision(count);
    }

    /** Retires every pool of a function whose spec the predicate selects (after an update or delete). */
    public void retire(Predicate<FunctionSpec> which) {
        for (var e : pools.entrySet()) {
            if (which.test(e.getValue().spec())) {
                pools.remove(e.getKey(), e.getValue());
                e.getValue().retire();
            }
        }
    }

    private FunctionPool poolFor(FunctionSpec spec) {
        return pools.computeIfAbsent(spec.poolKey(), k -> new FunctionPool(spec, this, clock, scheduler,
                spec.maxInstances() > 0 ? spec.maxInstances() : config.maxInstancesPerFunction(),
                config.maxQueuePerFunction()));
    }

    /** Instances of each function version, for telemetry and the status endpoint. */
    public Map<String, ScalingPolicy.Snapshot> snapshot() {
        Map<String, ScalingPolicy.Snapshot> out = new java.util.TreeMap<>();
        pools.forEach((k, p) -> out.put(k, p.snapshot()));
        return out;
    }

    public int hostInstances() { return hostInstances.get(); }

    /** One function version's pool as the resource sampler reports it. */
    public record FunctionView(String tenant, String functionName, String version, ScalingPolicy.Snapshot snapshot) {}

    /** Every pool by key, with the function it belongs to. */
    public Map<String, FunctionView> snapshotByFunction() {
        Map<String, FunctionView> out = new java.util.TreeMap<>();
        pools.forEach((k, p) -> out.put(k, new FunctionView(p.spec().tenant(), p.spec().functionName(), p.spec().version(),
                p.snapshot())));
        return out;
    }

    // ---- host capacity, called by function pools ----

    boolean acquireHostSlot(FunctionPool requester) {
        while (true) {
            int n = hostInstances.get();
            if (n < config.maxInstancesHost()) {
                if (hostInstances.compareAndSet(n, n + 1)) return true;
                continue;
            }
            if (!evictLeastRecentlyUsed(requester)) return false;
        }
    }

    void releaseHostSlot(FunctionPool pool) {
        hostInstances.decrementAndGet();
        wakeStarved();
    }

    void markStarved(FunctionPool pool) { starved.add(pool); }

    /** An instance went idle: a starved function may take its slot. */
    void onIdle(FunctionPool pool) {
        if (!starved.isEmpty()) wakeStarved();
    }

    private void wakeStarved() {
        for (FunctionPool p : List.copyOf(starved)) {
            starved.remove(p);
            if (p.hasWaiters() || p.missingProvisioned()) p.rescale();
        }
    }

    private boolean evictLeastRecentlyUsed(FunctionPool requester) {
        PooledInstance victim = null;
        // oldest first; a pool may refuse (it raced, or only provisioned instances are left)
        List<FunctionPool> candidates = pools.values().stream().filter(p -> p != requester)
                .filter(p -> p.oldestIdleNanos() != Long.MAX_VALUE)
                .sorted(java.util.Comparator.comparingLong(FunctionPool::oldestIdleNanos)).toList();
        for (FunctionPool p : candidates) {
            victim = p.takeLeastRecentlyUsed();
            if (victim != null) break;
        }
        if (victim == null) return false;
        // the slot is handed over when the victim's exit is processed
        victim.instance.kill("evicted for capacity");
        try {
            victim.instance.exited().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
        return true;
    }

    private void evictExpired() {
        long keepAlive = config.keepAlive().toNanos();
        for (var e : pools.entrySet()) {
            for (PooledInstance pi : e.getValue().expired(keepAlive)) {
                pi.instance.kill("idle");
            }
            if (e.getValue().isEmpty()) pools.remove(e.getKey(), e.getValue());
        }
    }

    // ---- telemetry helpers for function pools ----

    InstanceBackend backend() { return backend; }

    String newInstanceId() { return "i-" + Long.toHexString(clock.wallMillis()) + "-" + instanceSeq.incrementAndGet(); }

    void instanceEvent(FunctionSpec spec, String instanceId, InstanceTransition t, String reason) {
        telemetry.accept(new PlatformEvent.InstanceEvent(clock.wallMillis(), spec.tenant(), spec.functionName(),
                instanceId, t, reason));
    }

    void event(FunctionSpec spec, String decision, String detail) {
        telemetry.accept(new PlatformEvent.SchedulerDecision(clock.wallMillis(), spec.tenant(), spec.functionName(),
                decision, detail));
    }

    @Override
    public void close() {
        sweeper.cancel();
        pools.values().forEach(FunctionPool::retire);
        backend.close();
    }
}
