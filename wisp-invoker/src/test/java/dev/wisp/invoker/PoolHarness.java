package dev.wisp.invoker;

import dev.wisp.common.ManualClock;
import dev.wisp.invoker.FakeBackend.FakeInstance;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.PlatformEvent.InstanceEvent;
import dev.wisp.telemetry.model.PlatformEvent.InstanceTransition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** An {@link InstancePool} on a simulated backend, a manual clock and a virtual-time scheduler. */
final class PoolHarness implements AutoCloseable {
    static final long ORIGIN = 1_700_000_000_000L;

    final ManualClock clock = new ManualClock(ORIGIN);
    final VirtualScheduler scheduler = new VirtualScheduler(clock);
    final FakeBackend backend = new FakeBackend();
    final List<Object> telemetry = Collections.synchronizedList(new ArrayList<>());
    final InstancePool pool;
    private int requestSeq;

    PoolHarness(Duration keepAlive, int maxPerFunction, int maxHost, int maxQueue) {
        InvokerConfig config = new InvokerConfig(Path.of("/nonexistent/wisp-test"), keepAlive, maxPerFunction, maxHost,
                maxQueue, InvokerConfig.Isolation.PROCESS, 0);
        pool = new InstancePool(config, backend, clock, scheduler, telemetry::add);
    }

    PoolHarness() { this(Duration.ofMinutes(10), 32, 64, 1000); }

    static FunctionSpec spec(String name, int timeoutSeconds, int maxInstances) {
        return new FunctionSpec("tenant-a", name, "$LATEST", "arn:aws:lambda:us-east-1:000000000000:function:" + name,
                "rev-1", RuntimeKind.JAVA, "java21", "example.Handler::handleRequest", Path.of("/nonexistent/code"),
                128, timeoutSeconds, Map.of(), maxInstances, true);
    }

    static FunctionSpec spec(String name) { return spec(name, 3, 0); }

    /** A request received now (by the manual clock). */
    InvocationRequest request() {
        String id = "req-" + (++requestSeq);
        return new InvocationRequest(id, id.getBytes(StandardCharsets.UTF_8), "Root=1-trace", null,
                clock.monoNanos(), clock.wallMillis());
    }

    CompletableFuture<InvocationResult> invoke(FunctionSpec spec) {
        return pool.invoke(spec, request());
    }

    FakeInstance instance(int i) { return backend.instance(i); }

    List<InstanceTransition> transitionsOf(String instanceId) {
        synchronized (telemetry) {
            return telemetry.stream().filter(e -> e instanceof InstanceEvent ie && ie.instanceId().equals(instanceId))
                    .map(e -> ((InstanceEvent) e).transition()).toList();
        }
    }

    List<PlatformEvent> events() {
        synchronized (telemetry) {
            return telemetry.stream().filter(e -> e instanceof PlatformEvent).map(e -> (PlatformEvent) e).toList();
        }
    }

    static String text(InvocationOutcome outcome) {
        return switch (outcome) {
            case InvocationOutcome.Success s -> new String(s.payload(), StandardCharsets.UTF_8);
            case InvocationOutcome.FunctionError f -> new String(f.payload(), StandardCharsets.UTF_8);
            case InvocationOutcome.Failure f -> f.message();
        };
    }

    @Override
    public void close() { pool.close(); }
}
