package dev.wisp.bench.sim;

import dev.wisp.invoker.FunctionSpec;
import dev.wisp.invoker.Instance;
import dev.wisp.invoker.InvocationOutcome;
import dev.wisp.invoker.InvocationRequest;
import dev.wisp.telemetry.model.InvocationStatus;
import java.util.concurrent.CompletableFuture;

/**
 * A simulated instance: init takes the function's initMs, an execution its execMs of work on the
 * host's shared CPU, and both end on the virtual clock. Everything completes on the simulating
 * thread, so the pool's callbacks run synchronously, as its single-threaded use needs.
 */
final class SimInstance extends Event implements Instance {
    private final String id;
    private final FunctionSpec spec;
    final SimFunction fn;
    private final SimPlatform platform;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<String> exited = new CompletableFuture<>();
    final int memoryUsedMb;
    /** Index in the backend's live list; -1 once gone. */
    int liveIndex = -1;

    // the execution in progress (one at a time)
    CompletableFuture<Execution> execution;
    Call call;
    boolean failing;
    String errorType;
    double cpu;
    /** The noisy neighbour's hog runs on real time, outside the CPU heap. */
    boolean hog;
    // processor-sharing bookkeeping
    int heapIndex = -1;
    double startV;
    double finishV;
    double accountedV;
    /** CPU used since the last resource sample, in millicore-nanoseconds. */
    double cpuUsed;
    long hogSince;

    SimInstance(String id, FunctionSpec spec, SimFunction fn, SimPlatform platform, int memoryUsedMb) {
        this.id = id;
        this.spec = spec;
        this.fn = fn;
        this.platform = platform;
        this.memoryUsedMb = memoryUsedMb;
    }

    @Override public String id() { return id; }

    @Override public FunctionSpec spec() { return spec; }

    @Override public CompletableFuture<Void> ready() { return ready; }

    @Override public CompletableFuture<String> exited() { return exited; }

    @Override public int maxMemoryUsedMb() { return memoryUsedMb; }

    /** Init done, or the hog's execution done: the only two things that fire on this event. */
    @Override
    void fire() {
        if (!ready.isDone()) {
            ready.complete(null);
        } else {
            platform.executionEnded(this);
        }
    }

    @Override
    public CompletableFuture<Execution> execute(InvocationRequest request, long deadlineEpochMillis) {
        CompletableFuture<Execution> f = new CompletableFuture<>();
        if (exited.isDone()) {
            f.complete(new Execution(new InvocationOutcome.Failure(InvocationStatus.CRASH, "Runtime.ExitError",
                    "instance exited"), ""));
            return f;
        }
        execution = f;
        platform.executionStarted(this, request);
        return f;
    }

    @Override
    public void kill(String reason) {
        if (exited.isDone()) return;
        cancel();
        platform.instanceKilled(this);
        if (!ready.isDone()) ready.completeExceptionally(new InitFailure("Runtime.ExitError", "killed: " + reason, new byte[0]));
        CompletableFuture<Execution> f = execution;
        execution = null;
        call = null;
        // the pool has settled the invocation already when it kills a busy instance (timeout)
        if (f != null) f.complete(new Execution(new InvocationOutcome.Failure(InvocationStatus.CRASH, "Runtime.ExitError",
                "instance killed: " + reason), ""));
        exited.complete(reason);
    }
}
