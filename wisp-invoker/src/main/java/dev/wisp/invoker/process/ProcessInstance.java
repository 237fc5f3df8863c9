package dev.wisp.invoker.process;

import dev.wisp.common.Clock;
import dev.wisp.invoker.FunctionSpec;
import dev.wisp.invoker.Instance;
import dev.wisp.invoker.InvocationOutcome;
import dev.wisp.invoker.InvocationRequest;
import dev.wisp.invoker.runtimeapi.RuntimeApiTarget;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.LogLine;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An instance that is a real process. It is the Runtime API target for its token: the runtime's
 * {@code next} meets its invocation in a one-slot rendezvous (whichever comes second hands it
 * over), and the response or error it posts completes the execution in flight. The process's exit
 * settles whatever is pending.
 */
final class ProcessInstance implements Instance, RuntimeApiTarget {
    /** Per-invocation log kept for the caller's tail; more is counted but not kept. */
    private static final int MAX_LOG_CHARS = 64 * 1024;

    private final String id;
    /** The function this instance serves; for a stem cell, a placeholder until it is specialised. */
    private volatile FunctionSpec spec;
    private final boolean stem;
    /** Ties this instance's Runtime API endpoints to it (the path prefix of AWS_LAMBDA_RUNTIME_API). */
    private final String runtimeToken = dev.wisp.common.Ids.token();
    private final CompletableFuture<Map<String, String>> specialization = new CompletableFuture<>();
    private final Clock clock;
    private final Consumer<Object> telemetry;
    /** Guards the rendezvous: at most one of {@code waiting} and {@code poll} is set. */
    private final Object slot = new Object();
    private InvocationRequest waiting;
    private Consumer<InvocationRequest> poll;
    private boolean stopped;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<String> exited = new CompletableFuture<>();
    private final AtomicBoolean killed = new AtomicBoolean();
    private volatile InFlight inFlight;
    /** Lines between two invocations belong to the earlier one: an instance runs one at a time. */
    private volatile String lastRequestId;
    private volatile String killReason;
    private volatile Process process;
    private volatile Cgroups.Group cgroup;
    private volatile LogPump pump;
    private volatile int peakMemoryMb;
    private volatile long peakReadAt = Long.MIN_VALUE / 2;

    private record InFlight(InvocationRequest request, long deadline, CompletableFuture<Execution> result, StringBuilder log,
                            java.util.concurrent.atomic.AtomicBoolean handedOut) {}

    ProcessInstance(String id, FunctionSpec spec, boolean stem, Clock clock, Consumer<Object> telemetry) {
        this.id = id;
        this.spec = spec;
        this.stem = stem;
        this.clock = clock;
        this.telemetry = telemetry;
    }

    void attach(Process process, Cgroups.Group cgroup) {
        this.process = process;
        this.cgroup = cgroup;
        this.pump = new LogPump(process.getInputStream(), this::logLine);
        Thread.ofVirtual().name("log-" + id).start(pump);
        if (killed.get()) process.destroyForcibly();
    }

    /** Called once the process is gone (by the backend, which owns the cleanup). */
    void onExit(int exitCode) {
        if (pump != null) pump.stop();
        Consumer<InvocationRequest> p;
        synchronized (slot) {
            // from here execute() fails at once, so the invocation in flight below is the last one
            stopped = true;
            waiting = null;
            p = poll;
            poll = null;
        }
        String reason = killReason;
        boolean oom = cgroup != null && cgroup.oomKilled();
        peakMemoryMb = Math.max(peakMemoryMb, cgroup == null ? 0 : (int) (cgroup.peakBytes() >> 20));
        if (reason == null) reason = oom ? "oom" : "exit " + exitCode;
        String message = oom ? "Runtime exited with error: signal: killed" : describeExit(exitCode);
        String errorType = oom ? "Runtime.OutOfMemory" : "Runtime.ExitError";
        ready.completeExceptionally(new InitFailure(errorType, message, errorJson(errorType, message)));
        InFlight f = inFlight;
        if (f != null) {
            if (pump != null) pump.drainNow();
            InvocationStatus status = oom ? InvocationStatus.OOM : InvocationStatus.CRASH;
            f.result.complete(new Execution(new InvocationOutcome.Failure(status, errorType,
                    "RequestId: " + f.request.requestId() + " Error: " + message), f.log.toString()));
        }
        if (p != null) p.accept(null);
        specialization.completeExceptionally(new IllegalStateException("instance exited"));
        exited.complete(reason);
    }

    private static String describeExit(int code) {
        return code > 128 ? "Runtime exited with error: signal: " + signalName(code - 128)
                : "Runtime exited with error: exit status " + code;
    }

    private static String signalName(int sig) {
        return switch (sig) {
            case 9 -> "killed";
            case 11 -> "segmentation fault";
            case 6 -> "aborted";
            case 15 -> "terminated";
            default -> "signal " + sig;
        };
    }

    static byte[] errorJson(String type, String message) {
        return ("{\"errorType\":\"" + type + "\",\"errorMessage\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void logLine(String text) {
        InFlight f = inFlight;
        String requestId = f == null ? lastRequestId : f.request.requestId();
        if (f != null && f.log.length() < MAX_LOG_CHARS) {
            synchronized (f.log) {
                f.log.append(text).append('\n');
            }
        }
        telemetry.accept(new LogLine(clock.wallMillis(), LogLine.Source.FUNCTION, spec.tenant(),
                spec.functionName(), id, "INFO", requestId, text));
    }

    // ---- Instance ----

    @Override public String id() { return id; }

    @Override public FunctionSpec spec() { return spec; }

    @Override public CompletableFuture<Void> ready() { return ready; }

    @Override public CompletableFuture<String> exited() { return exited; }

    @Override
    public CompletableFuture<Execution> execute(InvocationRequest request, long deadlineEpochMillis) {
        InFlight f = new InFlight(request, deadlineEpochMillis, new CompletableFuture<>(), new StringBuilder(),
                new java.util.concurrent.atomic.AtomicBoolean());
        Consumer<InvocationRequest> p;
        synchronized (slot) {
            if (stopped || exited.isDone()) {
                f.result.complete(new Execution(new InvocationOutcome.Failure(InvocationStatus.CRASH, "Runtime.ExitError",
                        "RequestId: " + request.requestId() + " Error: Runtime exited"), ""));
                return f.result;
            }
            if (waiting != null) throw new IllegalStateException("instance " + id + " is already busy");
            inFlight = f;
            lastRequestId = request.requestId();
            p = poll;
            poll = null;
            if (p == null) waiting = request;
        }
        if (p != null) handOver(p, request);
        return f.result;
    }

    @Override
    public void kill(String reason) {
        if (!killed.compareAndSet(false, true)) return;
        killReason = reason;
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public int maxMemoryUsedMb() {
        Cgroups.Group g = cgroup;
        long now = clock.monoNanos();
        // the kernel's peak counter is read at most every 20 ms: a file read on every warm invocation is measurable
        if (g != null && now - peakReadAt > 20_000_000L) {
            peakReadAt = now;
            peakMemoryMb = Math.max(peakMemoryMb, (int) (g.peakBytes() >> 20));
        }
        return peakMemoryMb;
    }

    boolean isStem() { return stem; }

    String runtimeToken() { return runtimeToken; }

    /** The pid of the instance's top process, or -1 when it is not running. */
    long pid() {
        Process p = process;
        return p == null || !p.isAlive() ? -1 : p.pid();
    }

    /** Memory in use: the cgroup's usage when there is one, else the resident set of the main process. */
    long memoryBytes() {
        Cgroups.Group g = cgroup;
        Process p = process;
        if (g != null) return g.usageBytes();
        return p == null ? 0 : ProcStat.rssBytes(p.pid());
    }

    /** Sets the memory limit of a stem cell to its function's (it started with a generic one). */
    void cgroupLimit(int memoryMb) throws java.io.IOException {
        Cgroups.Group g = cgroup;
        if (g != null) g.limit(memoryMb);
    }

    /** Gives a stem cell its function: the runtime, blocked in {@code wisp/specialize}, adopts the environment. */
    void specialize(FunctionSpec function, Map<String, String> environment) {
        this.spec = function;
        specialization.complete(environment);
    }

    // ---- RuntimeApiTarget ----

    @Override
    public Map<String, String> awaitSpecialization() throws InterruptedException {
        if (!stem) return null;
        try {
            return specialization.get();
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        }
    }

    @Override
    public void next(Consumer<InvocationRequest> deliver) {
        InFlight f = inFlight;
        if (f != null && f.handedOut.get() && !f.result.isDone()) {
            // asking again without answering: Lambda treats it as a failed invocation
            finish(f, new InvocationOutcome.Failure(InvocationStatus.ERROR, "Runtime.InvalidNextCall",
                    "RequestId: " + f.request.requestId() + " Error: runtime requested next without answering"));
        }
        ready.complete(null);
        InvocationRequest r;
        Consumer<InvocationRequest> replaced;
        boolean stop;
        synchronized (slot) {
            r = waiting;
            waiting = null;
            stop = stopped;
            replaced = poll;
            poll = r == null && !stop ? deliver : null;
        }
        if (replaced != null) replaced.accept(null); // a runtime polls once at a time: an older poll is stale
        if (r != null) {
            handOver(deliver, r);
        } else if (stop) {
            deliver.accept(null);
        }
    }

    private void handOver(Consumer<InvocationRequest> deliver, InvocationRequest r) {
        InFlight taken = inFlight;
        if (taken != null && taken.request == r) taken.handedOut.set(true);
        deliver.accept(r);
    }

    @Override public String functionArn() { return spec.arn(); }

    @Override
    public long deadlineMillis(String requestId) {
        InFlight f = inFlight;
        return f == null ? clock.wallMillis() : f.deadline;
    }

    @Override
    public boolean respond(String requestId, byte[] payload) {
        InFlight f = inFlight;
        if (f == null || !f.request.requestId().equals(requestId)) return false;
        finish(f, new InvocationOutcome.Success(payload));
        return true;
    }

    @Override
    public boolean fail(String requestId, String errorType, byte[] payload) {
        InFlight f = inFlight;
        if (f == null || !f.request.requestId().equals(requestId)) return false;
        finish(f, new InvocationOutcome.FunctionError(payload, errorType == null ? "Unhandled" : errorType));
        return true;
    }

    private void finish(InFlight f, InvocationOutcome outcome) {
        if (pump != null) pump.drainNow();
        inFlight = null;
        String log;
        synchronized (f.log) {
            log = f.log.toString();
        }
        f.result.complete(new Execution(outcome, log));
    }

    @Override
    public void initError(String errorType, byte[] payload) {
        String type = errorType == null ? "Runtime.InitError" : errorType;
        ready.completeExceptionally(new InitFailure(type, new String(payload, StandardCharsets.UTF_8), payload));
        kill("init error");
    }
}
