package dev.wisp.invoker.process;

import dev.wisp.common.Clock;
import dev.wisp.invoker.InstancePool;
import dev.wisp.invoker.ScalingPolicy;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToIntBiFunction;

/**
 * Once a second: CPU (millicores) and memory of every instance — its whole process tree, so a
 * function's own children count — of the host, and each function's instance counts and
 * concurrency. Runs on the timer thread and only reads /proc and cgroup files.
 */
public final class ResourceSampler implements Runnable {
    private final ProcessInstanceBackend backend;
    private final InstancePool pool;
    private final Clock clock;
    private final Consumer<Object> telemetry;
    private final Map<String, long[]> lastCpu = new HashMap<>();
    private long[] lastHost = ProcStat.hostCpu();
    private long lastNanos;
    private final ToIntBiFunction<String, String> queuedUpstream;

    /** @param queuedUpstream requests of a function waiting before they reach the pool (the controller's dispatch gate) */
    public ResourceSampler(ProcessInstanceBackend backend, InstancePool pool, Clock clock, Consumer<Object> telemetry,
                           ToIntBiFunction<String, String> queuedUpstream) {
        this.queuedUpstream = queuedUpstream;
        this.backend = backend;
        this.pool = pool;
        this.clock = clock;
        this.telemetry = telemetry;
        this.lastNanos = clock.monoNanos();
    }

    @Override
    public synchronized void run() {
        long now = clock.wallMillis();
        long nanos = clock.monoNanos();
        double seconds = Math.max(1e-3, (nanos - lastNanos) / 1e9);
        lastNanos = nanos;
        Map<String, long[]> seen = new HashMap<>();
        var instances = backend.liveInstances();
        Map<Long, Long> ticksByRoot = ProcStat.treeTicks(instances.stream().map(ProcessInstance::pid).filter(p -> p > 0).toList());
        for (ProcessInstance i : instances) {
            Long t = ticksByRoot.get(i.pid());
            if (t == null) continue;
            long ticks = t;
            long[] before = lastCpu.get(i.id());
            seen.put(i.id(), new long[] {ticks});
            double millicores = before == null ? 0 : (ticks - before[0]) * 1000.0 / ProcStat.TICKS / seconds;
            if (i.isStem() && i.spec().tenant().isEmpty()) continue; // an unused stem cell belongs to no function
            telemetry.accept(new ResourceSample(now, ResourceSample.Scope.INSTANCE, i.spec().tenant(), i.spec().functionName(),
                    i.id(), millicores, i.memoryBytes(), 0, 0, 0));
        }
        lastCpu.clear();
        lastCpu.putAll(seen);
        long[] host = ProcStat.hostCpu();
        double busy = host[1] == lastHost[1] ? 0 : (double) (host[0] - lastHost[0]) / (host[1] - lastHost[1]);
        lastHost = host;
        telemetry.accept(new ResourceSample(now, ResourceSample.Scope.HOST, null, null, null,
                busy * Runtime.getRuntime().availableProcessors() * 1000, ProcStat.hostMemoryUsed(), 0, 0, 0));
        for (var e : pool.snapshotByFunction().entrySet()) {
            ScalingPolicy.Snapshot s = e.getValue().snapshot();
            // one sample per function version
            telemetry.accept(new ResourceSample(now, ResourceSample.Scope.FUNCTION, e.getValue().tenant(),
                    e.getValue().functionName(), null, 0, 0, s.idle(), s.busy(), s.initializing()));
            telemetry.accept(new PlatformEvent.ConcurrencySample(now, e.getValue().tenant(), e.getValue().functionName(),
                    s.queued() + queuedUpstream.applyAsInt(e.getValue().tenant(), e.getValue().functionName()), s.busy(), s.total()));
        }
    }
}
